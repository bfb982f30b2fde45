import { demo } from "./demo";

function prepareAdmissions(): never {
  throw new Error("not implemented yet");
}

test("a demonstration that reaches an unwritten function names it instead of failing", async () => {
  const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
  await demo(() => prepareAdmissions());
  expect(log).toHaveBeenCalledWith("(skipped: this cell runs once `prepareAdmissions` is written)");
  log.mockRestore();
});

test("any other error still fails the cell", async () => {
  await expect(
    demo(() => {
      throw new TypeError("x is undefined");
    }),
  ).rejects.toThrow("x is undefined");
});

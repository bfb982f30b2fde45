import { frame, progress, type Frame } from "./progress";

test("a frame shows the bar, i/N, the values, the time so far and the time left", () => {
  const f = frame("iteration", 100, 500, { cost: 0.412345 }, 12_300);
  expect(f["text/plain"]).toBe(
    "[█████···················] iteration 100/500   cost 0.41235   12.3 s, about 49.2 s left",
  );
  expect(f["text/html"]).toContain('<progress value="100" max="500"');
  expect(frame("iteration", 500, 500, { cost: 0.1 }, 125_000, true)["text/plain"]).toBe(
    "[████████████████████████] iteration 500/500   cost 0.10000   2 min 5 s",
  );
});

test("one display is updated in place: the first step shows it, later steps update it at most every 200 ms, the last and done always", () => {
  let t = 0;
  const frames: [Frame, boolean][] = [];
  const push = (f: Record<string, string>, update: boolean) => frames.push([f as Frame, update]);
  const bar = progress(10, "step", { show: push, now: () => t });
  for (let i = 1; i <= 10; i++) {
    t += 50;
    bar.step(i, { cost: 1 / i });
  }
  bar.done();
  expect(frames.map(([f, u]) => [f["text/plain"].match(/step (\d+)\/10/)![1], u])).toEqual([
    ["1", false],
    ["5", true],
    ["9", true],
    ["10", true],
    ["10", true],
  ]);
  expect(frames.at(-1)![0]["text/plain"]).not.toContain("left");
});

test("outside a kernel nothing shows while it runs, and done prints the final line", () => {
  const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
  const bar = progress(3);
  bar.step(1);
  bar.step(2);
  bar.step(3);
  bar.done({ cost: 0.5 });
  expect(log.mock.calls.map((c) => c[0])).toEqual([
    expect.stringMatching(/^\[█+\] iteration 3\/3 {3}cost 0\.50000 {3}\d+\.\d s$/),
  ]);
  log.mockRestore();
  expect(() => progress(0)).toThrow("progress: total must be a whole number above 0, got 0");
});

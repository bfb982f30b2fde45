import { findSection } from "./expected";

test("a section is found by its full name or a unique start of it, never by an ambiguous one", () => {
  expect(findSection("05-mnist")).toBe("05-mnist");
  expect(findSection("05")).toBe("05-mnist");
  expect(findSection("03-not")).toBe("03-not-network");
  expect(findSection("0")).toBeUndefined();
  expect(findSection("99")).toBeUndefined();
});

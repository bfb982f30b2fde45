import { hidePaths } from "./replies";

test("absolute paths in what learner code wrote are cut to their last segment", () => {
  expect(hidePaths("Error: /work/main/notebooks | /usr/local/bin/node | ENOENT '/tmp/x/data.csv'")).toBe(
    "Error: …/notebooks | …/node | ENOENT '…/data.csv'",
  );
  expect(hidePaths("at f (/home/me/course/x.js:3:9)")).toBe("at f (…/x.js:3:9)");
});

test("fractions, relative paths, dates and a single root-level name are left as written", () => {
  for (const s of ["1/2/3", "a/b/c", "./course/nn", "2026/12/03", "expected /notebooks", "x = (a/b)/c"])
    expect(hidePaths(s)).toBe(s);
});

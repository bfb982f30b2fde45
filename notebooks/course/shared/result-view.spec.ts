import { feedbackCell, fmtScore, partRow, partView } from "./result-view";

const failed = {
  name: "cost",
  points: 2.5,
  maxPoints: 10,
  status: "partial",
  cases: 4,
  feedback: ["case 2: off", "case 3: NaN"],
};

test("a score shows whole numbers as they are and others with two decimals", () => {
  expect([fmtScore(10), fmtScore(2.5), fmtScore(1 / 3)]).toEqual(["10", "2.50", "0.33"]);
});

test("a part that passed says how many checks pass, whatever feedback it carried", () => {
  const v = partView({ ...failed, points: 10, status: "passed", feedback: ["ignored"] });
  expect(v.feedback).toEqual(["all 4 checks pass"]);
  const row = partRow(v);
  expect([row.mark, row.tag, feedbackCell(row, "; ")]).toEqual(["✓", "", "all 4 checks pass"]);
});

test("a part that did not pass is tagged with its status, and only its learner lines are cleaned", () => {
  const row = partRow(partView(failed, (s) => s.toUpperCase()));
  expect([row.mark, row.score, row.tag]).toEqual(["✗", "2.50 / 10", "[partial]"]);
  expect(feedbackCell(row, " | ", (s) => `<${s}>`)).toBe("[partial] <CASE 2: OFF> | <CASE 3: NAN>");
});

test("a cleaner with an optional second parameter (a length, as oneLine's) gets each line alone, not its index", () => {
  const cut = (s: string, max = 1000) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
  expect(partView(failed, cut).feedback).toEqual(["case 2: off", "case 3: NaN"]);
});

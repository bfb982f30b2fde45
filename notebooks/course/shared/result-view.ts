// One model of a result's Part / Score / Feedback table, and thin renderers wherever it is shown: the
// CLI table and Gradescope's JSON (grader/pipeline/report.ts), the gradebook's Markdown and HTML
// feedback (grader/batch/gradebook.ts), the service's pages (grader/service/http/views.ts) and the
// notebook's submit() display (submit-view.ts). Each renderer only escapes and lays out.

/** A graded part as the service's API sends it and the notebook reads it. */
export interface PartView {
  name: string;
  score: number;
  maxScore: number;
  status: string;
  /** For a part that passed, "all N checks pass"; else the learner's feedback lines. */
  feedback: string[];
}

/** A score as every table shows it: whole numbers as they are, others with two decimals. */
export const fmtScore = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** A part as the grader holds it (PartResult) in the view's terms; `line` cleans each learner line. */
export function partView(
  p: { name: string; points: number; maxPoints: number; status: string; cases: number; feedback: string[] },
  line: (s: string) => string = (s) => s,
): PartView {
  return {
    name: p.name,
    score: p.points,
    maxScore: p.maxPoints,
    status: p.status,
    feedback: p.status === "passed" ? [`all ${p.cases} checks pass`] : p.feedback.map((s) => line(s)),
  };
}

/** One row of the table. */
export interface PartRow {
  passed: boolean;
  mark: "✓" | "✗";
  name: string;
  /** "2.5 / 10" */
  score: string;
  /** "[timeout]" for a part that did not pass, else "". */
  tag: string;
  lines: string[];
}

export function partRow(p: PartView): PartRow {
  const passed = p.status === "passed";
  return {
    passed,
    mark: passed ? "✓" : "✗",
    name: p.name,
    score: `${fmtScore(p.score)} / ${p.maxScore}`,
    tag: passed ? "" : `[${p.status}]`,
    lines: p.feedback,
  };
}

/** The feedback cell: the lines joined by `sep`, after the status tag where the part did not pass; `text` escapes each learner line. */
export const feedbackCell = (r: PartRow, sep: string, text: (s: string) => string = (s) => s): string =>
  r.passed ? r.lines.join(sep) : `${r.tag} ${r.lines.map((s) => text(s)).join(sep)}`;

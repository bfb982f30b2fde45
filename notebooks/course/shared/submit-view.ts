// What submit() shows under its cell: the waiting line while the service has the notebook, then the
// Part / Score / Feedback table (HTML for notebooks, text for terminals and text viewers), the total
// and the best so far. Every string from the service is escaped.

import { fmtScore as fmt, partRow, type PartView } from "./result-view";

export type { PartView };
export interface ResultView {
  status: string;
  score: number;
  maxScore: number;
  parts: PartView[];
  notes: string[];
  error?: string;
  seconds: number;
  gradedAt: string;
  /** The version of the exercise set it was graded against (a hash: see grader/sections/version.ts). */
  exerciseSetVersion?: string;
  /** Set when the instructor had the section graded again: their reason (gradedAt is when). */
  regraded?: { message: string };
}
/** A submission as the API answers it; `best` only where one submission is asked for. */
export interface SubmissionView {
  id: string;
  section: string;
  file: string;
  receivedAt: string;
  state: "queued" | "grading" | "graded" | "failed";
  /** Queued submissions received before this one (while it is queued). */
  ahead?: number;
  result?: ResultView;
  /** Why the grader could not grade it (state "failed"): not the learner's doing. */
  failure?: string;
  /** What counts in the section (after any late policy: `raw` before it, `why` the difference). */
  best?: { id: string; score: number; maxScore: number; raw?: number; why?: string; counts?: "best" | "last" } | null;
  /** The learner's calendar for the section: "due … (in 2 days 3 h)", "late since …: −10 %/day …". */
  due?: string;
}
export type Frame = Record<string, string>;

const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const line = (text: string, html: string): Frame => ({
  "text/plain": text,
  "text/html": `<div style="font-family: monospace">${html}</div>`,
});

/** The waiting line: queued (with how many are ahead) or grading, and for how long. */
export function waitingFrame(s: SubmissionView, seconds: number): Frame {
  const t = `${Math.round(seconds)} s`;
  const text =
    s.state === "queued"
      ? `⏳ queued${s.ahead !== undefined ? `: ${s.ahead} submission${s.ahead === 1 ? "" : "s"} ahead of yours` : ""} (${t})`
      : `⚙ grading ${s.file} (${t})`;
  return line(text, esc(text));
}

/** Nothing went wrong, nothing was sent (Run All reached the submit cell): said without alarm. */
export const noticeFrame = (text: string): Frame => ({
  "text/plain": text,
  "text/html": `<div style="color: #475467">${esc(text)}</div>`,
});

/** One sentence, for a problem (not sent, refused, not graded). */
export const problemFrame = (text: string): Frame => ({
  "text/plain": `✗ ${text}`,
  "text/html": `<div style="color: #b42318">✗ ${esc(text)}</div>`,
});

export function resultFrame(s: SubmissionView): Frame {
  if (s.state === "failed") return problemFrame(s.failure ?? "the autograder could not grade this submission");
  const r = s.result!;
  const b = s.best;
  const best = b
    ? `${b.counts === "last" ? "counts" : "best so far"}: ${fmt(b.score)} / ${b.maxScore}${b.why ? ` (${fmt(b.raw ?? b.score)} before: ${b.why})` : ""}`
    : "";
  const rule = b?.counts === "last" ? "your last submission counts" : "only your highest score counts";
  if (!r.parts.length) return problemFrame(`not graded: ${r.error ?? r.status}`);
  const rows = r.parts.map(partRow);
  const cells = (row: (typeof rows)[number]) => (row.passed ? row.lines : [row.tag, ...row.lines]);
  const width = Math.max(9, ...r.parts.map((p) => p.name.length + 2));
  const text = [
    `${"Part".padEnd(width)} ${"Score".padEnd(11)} Feedback`,
    ...rows.map((row) => `${`${row.mark} ${row.name}`.padEnd(width)} ${row.score.padEnd(11)} ${cells(row).join(" ")}`),
    `${"Total".padEnd(width)} ${fmt(r.score)} / ${r.maxScore}${best ? `   (${best})` : ""}`,
    ...r.notes.map((n) => `note: ${n}`),
    ...(s.due ? [s.due] : []),
  ].join("\n");
  const cell = 'style="text-align: left; vertical-align: top; padding: 0.2em 0.6em; border: 1px solid #ccc"';
  const trs = rows.map(
    (row) =>
      `<tr><td ${cell}>${row.mark} ${esc(row.name)}</td><td ${cell}>${row.score}</td><td ${cell}>${cells(row).map(esc).join("<br>")}</td></tr>`,
  );
  const html = `<table style="border-collapse: collapse"><thead><tr><th ${cell}>Part Name</th><th ${cell}>Score</th><th ${cell}>Feedback</th></tr></thead><tbody>${trs.join("")}</tbody></table>
<p><b>This submission: ${fmt(r.score)} / ${r.maxScore}</b>${best ? ` · ${esc(best)} (${rule})` : ""}</p>${r.notes.map((n) => `<p>note: ${esc(n)}</p>`).join("")}${s.due ? `<p>${esc(s.due)}</p>` : ""}`;
  return { "text/plain": text, "text/html": html };
}

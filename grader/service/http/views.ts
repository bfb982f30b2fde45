// What the service shows of a submission: the JSON its API answers (the notebook's submit() and the
// pages read it) and the Part / Score / Feedback table as HTML. Only what the grader's report already
// says to the learner: feedback names problems and hints, never hidden values; the claimed learner
// id in the notebook's metadata is left out (identity is the token).
import { gradebookCsv, type LearnerResult } from "../../batch";
import type { LearnerStatus } from "../../pipeline";
import { oneLine } from "../../pipeline";
import { fmtScore, html, type Html } from "./html";
import { partRow, partView, type ResultView, type SubmissionView } from "../../../notebooks/course/shared";
import { isoMinute, type CountedRow } from "../policy";
import type { StoredResult, Submission } from "../store";

// The API's shapes are declared once, beside their reader in the notebook (submit()).
export type { PartView, ResultView, SubmissionView } from "../../../notebooks/course/shared";

/** What a learner reads when the grader itself failed: no internals. */
export const FAILED_TEXT =
  "the autograder could not grade this submission (not your fault); the course staff can see it — you may submit again";

export function resultView(r: StoredResult): ResultView {
  return {
    status: r.status,
    score: r.score,
    maxScore: r.maxScore,
    parts: (r.report?.parts ?? []).map((p) => partView(p, oneLine)),
    notes: (r.report?.notes ?? []).map((n) => oneLine(n)),
    ...(r.error ? { error: oneLine(r.error) } : {}),
    seconds: r.seconds,
    gradedAt: new Date(r.gradedAt).toISOString(),
    ...(r.setVersion ? { exerciseSetVersion: r.setVersion } : {}),
    ...(r.regraded ? { regraded: { message: oneLine(r.regraded.message) } } : {}),
  };
}

export function submissionView(s: Submission, ahead?: number): SubmissionView {
  return {
    id: s.id,
    section: s.section,
    file: s.fileName,
    receivedAt: new Date(s.receivedAt).toISOString(),
    state: s.state,
    ...(s.state === "queued" && ahead !== undefined ? { ahead } : {}),
    ...(s.result ? { result: resultView(s.result) } : {}),
    ...(s.state === "failed" ? { failure: FAILED_TEXT } : {}),
  };
}

/** The Part / Score / Feedback table of a result. */
export function resultTable(r: ResultView): Html {
  const regraded = r.regraded
    ? html`<p class="regraded">Regraded on ${isoMinute(Date.parse(r.gradedAt))}: ${r.regraded.message}</p>`
    : "";
  if (!r.parts.length)
    return html`${regraded}
      <p class="problem">Not graded: ${r.error ?? r.status}</p>`;
  return html`${regraded}
    <table class="result">
      <thead>
        <tr>
          <th>Part</th>
          <th>Score</th>
          <th>Feedback</th>
        </tr>
      </thead>
      <tbody>
        ${r.parts.map(partRow).map(
          (row) =>
            html`<tr class="${row.passed ? "ok" : "no"}">
              <td>${row.mark} ${row.name}</td>
              <td>${row.score}</td>
              <td>
                ${row.passed ? "" : html`<span class="status">${row.tag}</span> `}${row.lines.map((f, i) => html`${i ? html`<br />` : ""}${f}`)}
              </td>
            </tr>`,
        )}
      </tbody>
      <tfoot>
        <tr>
          <th>Total</th>
          <th>${fmtScore(r.score)} / ${r.maxScore}</th>
          <th></th>
        </tr>
      </tfoot>
    </table>
    ${
      r.notes.length
        ? html`<ul class="notes">
            ${r.notes.map((n) => html`<li>note: ${n}</li>`)}
          </ul>`
        : ""
    }`;
}

/** The gradebook as the batch writes it (`course grade --csv`): one row per learner and section, the submission that counts; then its final score and why. */
export function gradebookCsvOf(rows: CountedRow[]): string {
  const results: LearnerResult[] = rows.map((r) => ({
    learner: r.email,
    file: r.best?.fileName ?? "",
    key: r.email,
    section: r.section,
    status: (r.best?.result.status ?? (r.attempts ? "error" : "not-submitted")) as LearnerStatus,
    report: r.best?.result.report && { ...r.best.result.report, section: r.section },
    error: r.best ? r.best.result.error : r.attempts ? `no graded submission of ${r.section} yet` : undefined,
    seconds: r.best?.result.seconds ?? 0,
    flags: [`attempts: ${r.attempts}`],
    final: { score: r.counted?.final ?? 0, late: r.counted?.why ?? "" },
  }));
  return gradebookCsv(results);
}

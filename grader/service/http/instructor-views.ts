// The instructor's pages: the key's sign-in, the gradebook (every enrolled learner, the class's charts,
// common feedback, sections, failed gradings) and one learner's record (each submission's table and notebook).
import { status } from "../queue";
import {
  countedGradebook,
  deadlineLine,
  isoMinute,
  learnerCounting,
  span,
  type CountingScore,
  type Window,
} from "../policy";
import type { ServiceContext } from "./context";
import { commonFeedback, stubsLeft } from "./charts";
import { fmtScore, html, page, table, when, type Html } from "./html";
import {
  isClosed,
  type Deadline,
  type ExtensionChange,
  type Learner,
  type PastResult,
  type Submission,
} from "../store";
import { submissionBlock } from "./page-views";
import { passbackBlock } from "./lti-views";

export function keyPage(problem?: string): string {
  return page(
    "Instructor",
    html`<main class="narrow">
      <h1>Instructor</h1>
      ${problem ? html`<p class="problem" role="alert">${problem}</p>` : ""}
      <form method="post" action="/instructor/signin">
        <label>Instructor key <input name="key" type="password" autocomplete="current-password" required /></label>
        <button type="submit">Sign in</button>
      </form>
      <p class="quiet">
        The key is in the file <code>course serve</code> printed when it started (<code>--key-file</code>).
      </p>
    </main>`,
  );
}

/** The queue and the submissions by state, with grading times per section. */
function queueLine(s: Awaited<ReturnType<typeof status>>): Html {
  const q = s.queue;
  return html`<p class="status" id="queue">
    Queue (${q.kind === "local" ? "this machine" : "BullMQ"}): ${q.waiting} waiting · ${q.active} grading · ${q.delayed}
    to retry · ${q.failed} failed · ${q.workers} worker${q.workers === 1 ? "" : "s"} alive, ${q.capacity} gradings at
    once. Submissions: ${s.submissions.queued} queued, ${s.submissions.grading} grading, ${s.submissions.graded} graded,
    ${s.submissions.failed} failed.
    ${Object.entries(s.gradingSeconds).map(([sec, t]) => html` ${sec}: p50 ${t.p50.toFixed(1)} s, p95 ${t.p95.toFixed(1)} s (${t.n}).`)}
  </p>`;
}

export async function instructorPage(c: ServiceContext): Promise<string> {
  const [rows, s, closes, deadlines] = await Promise.all([
    countedGradebook(c.store, c.sections),
    status(c),
    c.store.sectionCloses(),
    c.store.deadlines(),
  ]);
  const scores = c.lti ? await c.store.lti.scores() : [];
  const closed = c.sections.filter((sec) => isClosed(closes, sec, c.now()));
  const feedback = commonFeedback(rows),
    stubs = stubsLeft(rows);
  return page(
    "Gradebook",
    html`<main class="wide">
      <header>
        <h1>Gradebook</h1>
        <form method="post" action="/signout" class="inline"><button type="submit">Sign out</button></form>
      </header>
      ${queueLine(s)}
      <p><a href="/api/gradebook.csv" download>Download the gradebook (CSV)</a></p>
      ${gradebookTable(rows)}
      <h2>How the class is doing</h2>
      <figure>
        <img src="/instructor/charts/scores.svg" alt="Distribution of best scores per section" id="chart-scores" />
      </figure>
      <figure>
        <img src="/instructor/charts/parts.svg" alt="Share of learners passing each part" id="chart-parts" />
      </figure>
      <h2>Most common feedback, per part</h2>
      ${
        feedback.length
          ? table(
              "feedback",
              ["Section", "Part", "Feedback", "Learners"],
              feedback.map((f) => [f.section, f.part, f.line, f.count]),
            )
          : html`<p class="quiet">No failing parts among the best submissions.</p>`
      }
      ${
        stubs.length
          ? html`<p class="quiet" id="stubs">
              Not started yet (the stub is still there, in the best submission):
              ${stubs.map((s, i) => html`${i ? ", " : ""}${s.section} ${s.part} (${s.count})`)}.
            </p>`
          : ""
      }
      <h2>Sections</h2>
      <ul class="sections">
        ${c.sections.map((sec) => sectionItem(sec, closed.includes(sec), closes[sec], deadlines[sec]))}
      </ul>
      ${c.lti ? passbackBlock(scores, (id) => rows.find((r) => r.learnerId === id)?.email ?? id) : ""}
      <h2>Submissions the grader could not grade</h2>
      ${failedTable(s.failed)}
    </main>`,
    { script: true },
  );
}

type CountedRows = Awaited<ReturnType<typeof countedGradebook>>;

/** The gradebook: each learner's counting submission per section, raw and final (after the late policy). */
function gradebookTable(rows: CountedRows) {
  return table(
    "gradebook",
    ["Learner", "Email", "Section", "Score", "Final", "Status", "Attempts", "Last submission"],
    rows.map((r) => [
      html`<a href="/instructor/learners/${r.learnerId}">${r.name || r.email}</a>`,
      r.email,
      r.section,
      r.best ? `${fmtScore(r.best.result.score)} / ${r.best.result.maxScore}` : "—",
      html`${r.counted ? fmtScore(r.counted.final) : "—"}${r.counted?.why ? html`<br /><span class="quiet">${r.counted.why}</span>` : ""}${r.window.extended ? html`<br /><span class="quiet">extended to ${isoMinute(r.window.dueAt!)}</span>` : ""}`,
      r.best?.result.status ?? (r.attempts ? "not graded" : "not submitted"),
      r.attempts,
      r.lastAt === undefined ? "never" : when(r.lastAt),
    ]),
  );
}

/** A section's line: open or closed (and the button to change it), its calendar, its similarity report. */
function sectionItem(sec: string, closed: boolean, closesAt: number | undefined, deadline: Deadline | undefined) {
  return html`<li>
    ${sec}: ${closed ? "closed" : closesAt ? `open, closes ${when(closesAt)}` : "open"}
    <button disabled data-section="${sec}" data-action="${closed ? "open" : "close"}">
      ${closed ? "Open" : "Close"}</button
    >${deadline ? html` <span class="quiet">${deadlineLine(deadline)}</span>` : ""}
    <a class="similarity" href="/instructor/sections/${sec}/similarity">similarity of learners' code</a>
  </li>`;
}

/** Submissions the grader failed on for good, each with its notebook's link and why. */
function failedTable(failed: Awaited<ReturnType<typeof status>>["failed"]) {
  return failed.length
    ? table(
        "failed",
        ["Submission", "Section", "Received", "Attempts", "Why"],
        failed.map((f) => [
          html`<a href="/api/submissions/${f.id}/notebook">${f.id}</a>`,
          f.section,
          f.receivedAt,
          f.attempts,
          f.failure,
        ]),
      )
    : html`<p class="quiet">None.</p>`;
}

/** A change of a learner's extension, in one line. */
const extensionLine = (x: ExtensionChange) =>
  `${x.section}: due ${x.oldDue !== undefined ? `${isoMinute(x.oldDue)} → ` : ""}${isoMinute(x.dueAt)}, by ${x.by} on ${isoMinute(x.at)}`;

/** When a submission came against the learner's due time, and whether it is the one that counts. */
function timingLine(s: Submission, w: Window | undefined, counting: CountingScore | undefined): string {
  const late = w?.dueAt !== undefined ? s.receivedAt - w.dueAt : 0;
  const timing =
    w?.dueAt === undefined ? "" : late > 0 ? `received ${span(late)} after the due time` : "received on time";
  const counts =
    counting?.id === s.id ? `counts: ${fmtScore(counting.score)}${counting.why ? ` (${counting.why})` : ""}` : "";
  return [timing, counts].filter(Boolean).join("; ");
}

/** A result a regrade replaced, in one line. */
const earlierLine = (h: PastResult) =>
  `Before regrade ${h.replacedBy}: ${fmtScore(h.score)} / ${h.maxScore} (graded ${isoMinute(h.gradedAt)}${h.setVersion ? `, exercise set ${h.setVersion}` : ""})`;

/** One learner's record for the instructor: what counts per section, extensions and slip days, then every submission with its table and notebook. */
export async function learnerRecordPage(c: ServiceContext, l: Learner): Promise<string> {
  const [subs, counting, changes] = await Promise.all([
    c.store.submissionsOf(l.id),
    learnerCounting(c.store, c.sections, l.id, c.now()),
    c.store.extensionLog(l.id),
  ]);
  const { best, due, standing } = counting;
  // The results regrades replaced, per submission (kept for the instructor, oldest first).
  const history = new Map(await Promise.all(subs.map(async (s) => [s.id, await c.store.resultHistory(s.id)] as const)));
  return page(
    `${l.name || l.email}`,
    html`<main>
      <header>
        <h1>${l.name || l.email}</h1>
        <p><a href="/instructor">← Gradebook</a></p>
      </header>
      <p>${l.email} · ${subs.length} submission${subs.length === 1 ? "" : "s"}</p>
      ${table(
        "best",
        ["Section", "Score", "Final", "Attempts", "Calendar"],
        c.sections.map((s) => [
          s,
          best[s] ? `${fmtScore(best[s].raw)} / ${best[s].maxScore}` : "—",
          best[s] ? `${fmtScore(best[s].score)}${best[s].why ? ` (${best[s].why})` : ""}` : "—",
          subs.filter((x) => x.section === s).length,
          due[s] ?? "",
        ]),
      )}
      ${
        c.personal
          ? html`<p id="variants">
              Their own numbers:
              ${c.personal.sections.map((s, i) => html`${i ? "; " : ""}${s}: ${c.personal!.numbers(l.email, s)}`)}.
            </p>`
          : ""
      }
      <p id="slip-days">Slip days: ${standing.slipDaysUsed} used, ${standing.slipDaysLeft} left.</p>
      <form id="extend" data-learner="${l.id}">
        <label
          >Extend
          <select name="section">
            ${c.sections.map((s) => html`<option value="${s}">${s}</option>`)}
          </select></label
        >
        <label>until <input name="until" required placeholder="2026-12-24T23:59:00Z" size="24" /></label>
        <button type="submit" disabled>Give the extension</button>
        <span id="extend-status" class="quiet" role="status"></span>
      </form>
      ${
        changes.length
          ? html`<h2>Extensions</h2>
              <ul id="extensions">
                ${changes.map((x) => html`<li>${extensionLine(x)}</li>`)}
              </ul>`
          : ""
      }
      <h2>Submissions</h2>
      ${
        subs.length
          ? subs.map((s, i) =>
              submissionBlock(
                s,
                i === 0,
                html`<p class="timing">${timingLine(s, standing.sections[s.section]?.window, best[s.section])}</p>
                  <p>
                    <a href="/api/submissions/${s.id}/notebook" download="${s.fileName}"
                      >Download the notebook as submitted</a
                    >
                    (${s.id})
                  </p>
                  ${history.get(s.id)!.map((h) => html`<p class="quiet earlier">${earlierLine(h)}</p>`)}`,
              ),
            )
          : html`<p class="quiet">None yet.</p>`
      }
    </main>`,
    { script: true },
  );
}

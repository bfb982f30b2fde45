// The pages themselves, as HTML strings (html.ts escapes every value): the sign-in forms, the
// learner's submissions, and the instructor's gradebook, charts, feedback, sections and failures.
import { status } from "../queue";
import type { ServiceContext } from "./context";
import { commonFeedback } from "./charts";
import { fmtScore, html, page, when, type Html } from "./html";
import { isClosed, type Learner, type Submission } from "../store";
import { resultTable, resultView } from "./views";

export function signInPage(problem?: string): string {
  return page(
    "Submit your notebooks",
    html`<main class="narrow">
      <h1>Submit your notebooks</h1>
      ${problem ? html`<p class="problem" role="alert">${problem}</p>` : ""}
      <form method="post" action="/signin">
        <label>Email <input name="email" type="email" autocomplete="username" required /></label>
        <label>Token <input name="token" type="password" autocomplete="current-password" required /></label>
        <button type="submit">Sign in</button>
      </form>
      <p class="quiet">
        The token is the one your instructor sent you (the notebook's <code>submit()</code> uses it too).
      </p>
    </main>`,
  );
}

function submissionBlock(s: Submission, open: boolean): Html {
  const state =
    s.state === "graded" && s.result
      ? html`<span class="score">${fmtScore(s.result.score)} / ${s.result.maxScore}</span>`
      : html`<span class="state">${s.state}</span>`;
  const body =
    s.state === "graded" && s.result
      ? resultTable(resultView(s.result))
      : s.state === "failed"
        ? html`<p class="problem">
            The autograder could not grade this submission (not your fault); you may submit again.
          </p>`
        : html`<p class="quiet">Waiting for the grader…</p>`;
  return html`<details
    class="submission"
    ${open ? html`open` : ""}
    ${s.state === "queued" || s.state === "grading" ? html`data-pending="${s.id}" data-state="${s.state}"` : ""}
  >
    <summary>${s.section} · ${s.fileName} · ${when(s.receivedAt)} · ${state}</summary>
    ${body}
  </details>`;
}

export async function learnerPage(c: ServiceContext, l: Learner): Promise<string> {
  const subs = await c.store.submissionsOf(l.id);
  const best = await c.store.bestOf(l.id);
  const closes = await c.store.sectionCloses();
  const closed = c.sections.filter((s) => isClosed(closes, s, c.now()));
  return page(
    "Your submissions",
    html`<main>
      <header>
        <h1>Your submissions</h1>
        <form method="post" action="/signout" class="inline">
          <span>${l.name || l.email} (${l.email})</span> <button type="submit">Sign out</button>
        </form>
      </header>
      <section>
        <h2>Submit a notebook</h2>
        <form id="upload">
          <label
            >Section
            <select name="section">
              ${c.sections.map((s) => html`<option value="${s}" ${closed.includes(s) ? html`disabled` : ""}>${s}${closed.includes(s) ? " (closed)" : closes[s] ? ` (closes ${when(closes[s])})` : ""}</option>`)}
            </select></label
          >
          <label
            >Notebook <input name="notebook" type="file" accept=".ipynb,application/x-ipynb+json" required
          /></label>
          <button type="submit">Submit</button>
          <p id="upload-status" class="quiet" role="status"></p>
        </form>
      </section>
      <section>
        <h2>Best scores</h2>
        ${
          Object.keys(best).length
            ? html`<table class="best">
                <thead>
                  <tr>
                    <th>Section</th>
                    <th>Best</th>
                  </tr>
                </thead>
                <tbody>
                  ${Object.entries(best).map(
                    ([s, b]) =>
                      html`<tr>
                        <td>${s}</td>
                        <td>${fmtScore(b.score)} / ${b.maxScore}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : html`<p class="quiet">No graded submission yet.</p>`
        }
        <p class="quiet">Submit as often as you like: only your best score in each section counts.</p>
      </section>
      <section>
        <h2>All submissions</h2>
        ${subs.length ? subs.map((s, i) => submissionBlock(s, i === 0)) : html`<p class="quiet">None yet.</p>`}
      </section>
    </main>`,
    { script: true },
  );
}

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

export async function instructorPage(c: ServiceContext): Promise<string> {
  const [rows, s, closes] = await Promise.all([c.store.gradebook(), status(c), c.store.sectionCloses()]);
  const closed = c.sections.filter((sec) => isClosed(closes, sec, c.now()));
  const feedback = commonFeedback(rows);
  const q = s.queue;
  return page(
    "Gradebook",
    html`<main class="wide">
      <header>
        <h1>Gradebook</h1>
        <form method="post" action="/signout" class="inline"><button type="submit">Sign out</button></form>
      </header>
      <p class="status" id="queue">
        Queue (${q.kind === "local" ? "this machine" : "BullMQ"}): ${q.waiting} waiting · ${q.active} grading ·
        ${q.delayed} to retry · ${q.failed} failed · ${q.workers} worker${q.workers === 1 ? "" : "s"} alive,
        ${q.capacity} gradings at once. Submissions: ${s.submissions.queued} queued, ${s.submissions.grading} grading,
        ${s.submissions.graded} graded, ${s.submissions.failed} failed.
        ${Object.entries(s.gradingSeconds).map(([sec, t]) => html` ${sec}: p50 ${t.p50.toFixed(1)} s, p95 ${t.p95.toFixed(1)} s (${t.n}).`)}
      </p>
      <p><a href="/api/gradebook.csv" download>Download the gradebook (CSV)</a></p>
      <table class="gradebook">
        <thead>
          <tr>
            <th>Learner</th>
            <th>Email</th>
            <th>Section</th>
            <th>Best</th>
            <th>Status</th>
            <th>Attempts</th>
            <th>Last submission</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr>
                <td>${r.name}</td>
                <td>${r.email}</td>
                <td>${r.section}</td>
                <td>${r.best ? `${fmtScore(r.best.result.score)} / ${r.best.result.maxScore}` : "—"}</td>
                <td>${r.best?.result.status ?? "not graded"}</td>
                <td>${r.attempts}</td>
                <td>${when(r.lastAt)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
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
          ? html`<table class="feedback">
              <thead>
                <tr>
                  <th>Section</th>
                  <th>Part</th>
                  <th>Feedback</th>
                  <th>Learners</th>
                </tr>
              </thead>
              <tbody>
                ${feedback.map(
                  (f) =>
                    html`<tr>
                      <td>${f.section}</td>
                      <td>${f.part}</td>
                      <td>${f.line}</td>
                      <td>${f.count}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="quiet">No failing parts among the best submissions.</p>`
      }
      <h2>Sections</h2>
      <ul class="sections">
        ${c.sections.map((sec) => html`<li>${sec}: ${closed.includes(sec) ? "closed" : closes[sec] ? `open, closes ${when(closes[sec])}` : "open"} <button data-section="${sec}" data-action="${closed.includes(sec) ? "open" : "close"}">${closed.includes(sec) ? "Open" : "Close"}</button></li>`)}
      </ul>
      <h2>Submissions the grader could not grade</h2>
      ${
        s.failed.length
          ? html`<table>
              <thead>
                <tr>
                  <th>Submission</th>
                  <th>Section</th>
                  <th>Received</th>
                  <th>Attempts</th>
                  <th>Why</th>
                </tr>
              </thead>
              <tbody>
                ${s.failed.map(
                  (f) =>
                    html`<tr>
                      <td><a href="/api/submissions/${f.id}/notebook">${f.id}</a></td>
                      <td>${f.section}</td>
                      <td>${f.receivedAt}</td>
                      <td>${f.attempts}</td>
                      <td>${f.failure}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="quiet">None.</p>`
      }
    </main>`,
    { script: true },
  );
}

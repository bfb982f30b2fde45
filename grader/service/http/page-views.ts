// The pages themselves, as HTML strings (html.ts escapes every value): the sign-in forms, the
// learner's submissions, and the instructor's gradebook, charts, feedback, sections and failures.
import type { PersonalNotebooks, ServiceContext } from "./context";
import { fmtScore, html, page, table, when, type Html } from "./html";
import { isClosed, type Learner, type Submission } from "../store";
import { resultTable, resultView } from "./views";
import { learnerCounting, windowAt } from "../policy";

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

/** A submission as a folded block: section, file, time and score, then its table (the learner's and the instructor's pages). */
export function submissionBlock(s: Submission, open: boolean, extra: Html | string = ""): Html {
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
    ${body} ${extra}
  </details>`;
}

/** The sections whose numbers are the learner's own: their notebook and its public checks to download. */
function personalSection(p: PersonalNotebooks, l: Learner): Html {
  const rows = p.sections.map((s) => ({ s, numbers: p.numbers(l.email, s) }));
  return html`<section>
    <h2>Your own numbers</h2>
    <p class="quiet">
      In these sections each learner has their own numbers, and your submission is graded with yours. Work in your own
      notebook: save it in <code>notebooks/</code> of your course folder, and its public checks in
      <code>notebooks/checks/</code>.
    </p>
    <ul>
      ${rows.map(
        ({ s, numbers }) =>
          html`<li>
            ${s} (${numbers}): <a href="/notebooks/${s}.ipynb" download>your notebook</a> ·
            <a href="/notebooks/${s}/checks.json" download>its public checks</a>
          </li>`,
      )}
    </ul>
  </section>`;
}

export async function learnerPage(c: ServiceContext, l: Learner): Promise<string> {
  const subs = await c.store.submissionsOf(l.id);
  const { best, due, standing } = await learnerCounting(c.store, c.sections, l.id, c.now());
  const closes = await c.store.sectionCloses();
  const t = c.now();
  // Closed by hand, not open yet, or past this learner's (extended) late window.
  const closed = c.sections.filter(
    (s) => isClosed(closes, s, t) || windowAt(standing.sections[s].window, t) !== "open",
  );
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
          <button type="submit" disabled>Submit</button>
          <p id="upload-status" class="quiet" role="status"></p>
        </form>
      </section>
      ${c.personal ? personalSection(c.personal, l) : ""}
      <section>
        <h2>Your scores</h2>
        ${table(
          "best",
          ["Section", "Counts", "Calendar"],
          c.sections.map((s) => [
            s,
            html`${best[s] ? `${fmtScore(best[s].score)} / ${best[s].maxScore}` : "—"}${best[s]?.why ? html`<br /><span class="quiet">${fmtScore(best[s].raw)} before: ${best[s].why}</span>` : ""}`,
            due[s] ?? "",
          ]),
        )}
        <p class="quiet">
          Submit as often as you like: your best score in each section counts (your last, where the course says
          so).${standing.slipDaysUsed + standing.slipDaysLeft ? ` Slip days: ${standing.slipDaysUsed} used, ${standing.slipDaysLeft} left.` : ""}
        </p>
      </section>
      <section>
        <h2>All submissions</h2>
        ${subs.length ? subs.map((s, i) => submissionBlock(s, i === 0)) : html`<p class="quiet">None yet.</p>`}
      </section>
    </main>`,
    { script: true },
  );
}

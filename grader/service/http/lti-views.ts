// The pages of an LTI launch: where a learner lands (the section, how to submit from the notebook, their
// token when one is shown, their results there), the instructor's hop to the gradebook, what an LMS
// admin pastes (/lti/config), and the passback's state on the instructor page.
import type { ServiceContext } from "./context";
import { fmtScore, html, page, table, when, type Html } from "./html";
import type { Learner, OutgoingScore } from "../store";
import { learnerCounting } from "../policy";
import { submissionBlock } from "./page-views";

export interface TokenNote {
  /** A token to show now (once: it is not kept anywhere readable). */
  token?: string;
  /** When a launch page last showed one; undefined with no token: the roster's (mailed) token. */
  shownAt?: number;
  madeByLti: boolean;
}

function tokenBlock(l: Learner, t: TokenNote, section: string | undefined): Html {
  const shown = t.token
    ? html`<p>Your token (shown once — copy it now, the notebook's <code>submit()</code> asks for it):</p>
        <p><code id="token">${t.token}</code></p>`
    : html`<p class="quiet">
        ${
          t.shownAt !== undefined
            ? `Your token was shown on ${when(t.shownAt)}.`
            : t.madeByLti
              ? "No token has been shown to you yet."
              : "Use the token your instructor sent you."
        }
      </p>`;
  return html`<section>
    <h2>Submit from your notebook</h2>
    <p>
      In the notebook, run the cell <code>await submit()</code>: it asks for your email (<code>${l.email}</code>) and
      your token, sends the notebook, and shows the Part / Score / Feedback table under the cell.
    </p>
    ${shown}
    <form method="post" action="/lti/token" class="inline">
      <input type="hidden" name="section" value="${section ?? ""}" />
      <button type="submit">${t.token ? "Get another token" : "Get a new token"}</button>
      <span class="quiet">(the old one stops working at once)</span>
    </form>
  </section>`;
}

export async function launchPage(c: ServiceContext, l: Learner, section: string | undefined, t: TokenNote) {
  const known = section !== undefined && c.sections.includes(section) ? section : undefined;
  const subs = (await c.store.submissionsOf(l.id)).filter((s) => !known || s.section === known);
  const { best, due } = await learnerCounting(c.store, c.sections, l.id, c.now());
  const shownSections = known ? [known] : c.sections;
  return page(
    known ? `Section ${known}` : "Your sections",
    html`<main>
      <header>
        <h1>${known ? `Section ${known}` : "Your sections"}</h1>
        <span>${l.name || l.email} (${l.email})</span>
      </header>
      ${tokenBlock(l, t, known)}
      <section>
        <h2>Your score</h2>
        ${table(
          "best",
          ["Section", "Counts", "Calendar"],
          shownSections.map((s) => [
            s,
            best[s] ? `${fmtScore(best[s].score)} / ${best[s].maxScore}` : "—",
            due[s] ?? "",
          ]),
        )}
        <p class="quiet">Your score is sent to your course's gradebook once it is graded.</p>
      </section>
      <section>
        <h2>Submissions</h2>
        ${subs.length ? subs.map((s, i) => submissionBlock(s, i === 0)) : html`<p class="quiet">None yet.</p>`}
      </section>
      <p><a href="/">All your sections and submissions</a></p>
    </main>`,
  );
}

/** A same-site hop after the platform's cross-site POST, so the session cookie (SameSite=Strict) is sent. */
export function hopPage(title: string, to: string, text: string): string {
  return page(
    title,
    html`<main class="narrow">
      <meta http-equiv="refresh" content="0;url=${to}" />
      <h1>${title}</h1>
      <p><a href="${to}">${text}</a></p>
    </main>`,
  );
}

export function configPage(c: ServiceContext): string {
  const t = c.lti!;
  const u = (p: string) => `${t.publicUrl}${p}`;
  return page(
    "LTI 1.3 configuration",
    html`<main>
      <h1>Registering this tool in your LMS (LTI 1.3)</h1>
      ${table(
        "lti-config",
        ["What the LMS asks for", "Value"],
        [
          ["OpenID Connect login (initiation) URL", u("/lti/login")],
          ["Redirect / launch URL (target link URI)", u("/lti/launch")],
          ["Public JWKS URL (the tool's keys)", u("/lti/jwks")],
          ["A section's launch URL (or the custom parameter section=ID)", u("/lti/launch?section=03-not-network")],
          ["Sections", c.sections.join(", ")],
        ],
      )}
      <h2>The tool's public key</h2>
      <pre id="public-key">${t.keys.publicPem}</pre>
      <p class="quiet">
        Then register the platform with the tool:
        <code
          >course lti add-platform --data DIR --issuer … --client-id … --deployment-id … --auth-url … --token-url …
          --jwks-url …</code
        >
        (docs/lti.md).
      </p>
    </main>`,
  );
}

/** The scores sent back to the LMS: counts per state, then every score not sent yet or refused, with why. */
export function passbackBlock(scores: OutgoingScore[], emailOf: (learnerId: string) => string): Html {
  if (!scores.length) return html``;
  const n = (state: OutgoingScore["state"]) => scores.filter((s) => s.state === state).length;
  const open = scores.filter((s) => s.state !== "sent");
  return html`<h2>Grades sent to the LMS</h2>
    <p id="passback-summary">${n("sent")} sent · ${n("pending")} pending · ${n("failed")} failed</p>
    ${
      open.length
        ? table(
            "passback",
            ["Learner", "Section", "Score", "State", "Attempts", "Why"],
            open.map((s) => [
              emailOf(s.learnerId),
              s.section,
              `${fmtScore(s.score)} / ${s.maxScore}`,
              s.state,
              s.attempts,
              s.error ?? "",
            ]),
          )
        : html`<p class="quiet">Every score is on the LMS.</p>`
    }`;
}

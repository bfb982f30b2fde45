// `course regrade S`: grade a section's submissions again after the instructor edited it. The
// regrade is written to the service's store and graded by the running service's queue (its own pool,
// or the BullMQ workers), behind every learner's new submission; the command waits and prints the
// report (--no-wait leaves it to the service). `--dry-run` grades here, on this machine's pool, and
// prints the same report without storing anything.
import { createSeedOf, secretOnce } from "./seeds";
import type { Command } from "commander";
import { randomBytes } from "crypto";
import { createGradingPool } from "../../batch";
import { InputError } from "../../pipeline";
import { gradeSubmission } from "../queue";
import {
  normalEmail,
  partScores,
  regradeOutcome,
  WHICH,
  type RegradeItem,
  type RegradeTarget,
  type Store,
  type Which,
} from "../store";
import { sectionOf } from "./commands-calendar";
import { regradeReport } from "./regrade-report";
import { withStore } from "./serve";

interface Io {
  out: NodeJS.WritableStream;
  help: string;
}
interface RegradeOptions {
  data: string;
  database?: string;
  which: string;
  learners?: string;
  neverLower?: boolean;
  message?: string;
  dryRun?: boolean;
  wait: boolean;
  jobs?: number;
}

/** How often the command reads the regrade's progress from the store while it waits. */
const PROGRESS_MS = 1000;

async function learnerIds(store: Store, list: string | undefined): Promise<string[] | undefined> {
  if (list === undefined) return undefined;
  const ids: string[] = [];
  for (const email of list
    .split(",")
    .map((e) => normalEmail(e.trim()))
    .filter(Boolean)) {
    const l = await store.learnerByEmail(email);
    if (!l) throw new InputError(`--learners: ${email} is not in the roster (course roster list shows who is)`);
    ids.push(l.id);
  }
  return ids;
}

/** Grades the targets here and compares with their current results: the report's items, nothing stored. */
async function dryRun(store: Store, targets: RegradeTarget[], neverLower: boolean, jobs?: number) {
  const pool = createGradingPool({ jobs: jobs ?? 1 });
  try {
    return await Promise.all(
      targets.map(async (t): Promise<RegradeItem> => {
        const item = {
          submissionId: t.id,
          learnerId: t.learnerId,
          email: t.email,
          fileName: t.fileName,
          receivedAt: t.receivedAt,
          attempts: 1,
        };
        const [current, bytes] = [(await store.submission(t.id))?.result, await store.notebook(t.id)];
        try {
          const seed = await createSeedOf(store, secretOnce())({ learnerId: t.learnerId, section: t.section });
          const r = await gradeSubmission(pool, { id: t.id, section: t.section, fileName: t.fileName, seed }, bytes!);
          return {
            ...item,
            state: "done",
            outcome: regradeOutcome(neverLower, current?.score, r.score),
            old: { score: current?.score ?? 0, parts: partScores(current?.report) },
            new: { score: r.score, parts: partScores(r.report) },
          };
        } catch (e) {
          return { ...item, state: "failed", failure: (e as Error).message };
        }
      }),
    );
  } finally {
    await pool.close();
  }
}

export function addRegradeCommand(program: Command, io: Io): void {
  program
    .command("regrade")
    .description("grade a section's submissions again (after an edit of its exercises), on the service's queue")
    .argument("<section>")
    .requiredOption("--data <dir>", "the service's folder")
    .option("--database <url>", "the service's PostgreSQL store")
    .option("--which <best|last|all>", "each learner's best or last graded submission, or all of them", "best")
    .option("--learners <emails>", "only these learners (comma-separated emails)")
    .option("--never-lower", "a lower new score is reported but not applied")
    .option("--message <text>", "why, in a sentence learners read beside their new result (required unless --dry-run)")
    .option("--dry-run", "grade here and print the report, storing nothing")
    .option("--no-wait", "queue the regrade and return (course regrade-report ID prints its report later)")
    .option("--jobs <n>", "gradings at once for --dry-run (default 1)", (v) => Math.max(1, Number(v) || 1))
    .addHelpText("after", io.help)
    .action((name: string, o: RegradeOptions) =>
      withStore(o, async (store) => {
        const section = sectionOf(name);
        if (!WHICH.includes(o.which as Which))
          throw new InputError(`--which: "${o.which}" is not one of ${WHICH.join(", ")}`);
        const message = (o.message ?? "").trim();
        if (!message && !o.dryRun)
          throw new InputError("--message: say why, in a sentence your learners will read beside their new result");
        const which = o.which as Which;
        const neverLower = Boolean(o.neverLower);
        const targets = await store.regradeTargets({ section, which, learnerIds: await learnerIds(store, o.learners) });
        const [take, dropped] = [targets.filter((t) => t.hasNotebook), targets.filter((t) => !t.hasNotebook)];
        const base = { section, which, neverLower, message, dropped };
        if (o.dryRun) {
          io.out.write(
            `dry run: grading ${take.length} submission${take.length === 1 ? "" : "s"} of ${section} here…\n`,
          );
          const items = await dryRun(store, take, neverLower, o.jobs);
          io.out.write(regradeReport({ ...base, items, dryRun: true }));
          return;
        }
        const id = `g_${randomBytes(9).toString("base64url")}`;
        await store.addRegrade(
          id,
          { section, which, neverLower, message },
          take.map((t) => t.id),
          Date.now(),
        );
        io.out.write(
          `regrade ${id}: ${take.length} submission${take.length === 1 ? "" : "s"} of ${section} queued behind new submissions\n`,
        );
        if (!o.wait) return;
        io.out.write(
          "waiting for the service (course serve, or its course worker processes) to grade them; Ctrl+C leaves them queued\n",
        );
        let shown = -1;
        for (;;) {
          const r = (await store.regrade(id))!;
          const finished = r.items.filter((i) => i.state === "done" || i.state === "failed").length;
          if (finished === r.items.length) {
            io.out.write(regradeReport({ ...base, ...r, dropped }));
            return;
          }
          if (finished !== shown) io.out.write(`  ${finished} of ${r.items.length} regraded\n`);
          shown = finished;
          await new Promise((resolve) => setTimeout(resolve, PROGRESS_MS));
        }
      }),
    );
  program
    .command("regrade-report")
    .description("the report of a regrade (course regrade prints its id): who changed, old → new per part")
    .argument("<id>")
    .requiredOption("--data <dir>", "the service's folder")
    .option("--database <url>", "the service's PostgreSQL store")
    .action((id: string, o: { data: string; database?: string }) =>
      withStore(o, async (store) => {
        const r = await store.regrade(id);
        if (!r) throw new InputError(`there is no regrade "${id}" in this service's store`);
        io.out.write(regradeReport({ ...r, dropped: [] }));
      }),
    );
}

// One start of the learner's process: wait for "ready", hand it the cells, follow each cell as it
// runs (each within the limit of the learner's time for top-level code), and read the runtime errors
// it reports at the end. The verdict names the cell to skip on the next start, or what ends the run.
import type { Budget } from "./budget";
import { learnerMs } from "./cpu-meter";
import type { LearnerProcess, Waited } from "./learner-process";
import { MAX_MESSAGE_CHARS, type ChildCell } from "./child";
import { checkLoaded, isMessage } from "./replies";
import type { RunLimits } from "./limits";
import { budgetFatal, interfered, overloaded, type Fatal } from "./verdicts";

export type Load =
  | { ok: true; errors: { cell: number; message: string }[] }
  | { ok: false; cell: number; reason: string }
  | { ok: false; fatal: Fatal };

export interface LoadContext {
  /** The cells to run this start (those skipped before left out). */
  cells: ChildCell[];
  root: string;
  side: { path: string; data: string }[];
  addon: string | undefined;
  limits: RunLimits;
  budget: Budget;
  /** The next event within `ms` of the learner's time, charged to the budget. */
  next(proc: LearnerProcess, ms: number): Promise<Waited>;
  /** Learner's time spent on top-level code, for the budget over every start. */
  spent(ms: number): void;
}

export async function loadCells(proc: LearnerProcess, ctx: LoadContext): Promise<Load> {
  const { limits, budget, cells: run } = ctx;
  const first = await ctx.next(proc, limits.startMs);
  if (!isMessage(first, "ready")) {
    proc.kill();
    if (budget.spent()) return { ok: false, fatal: budgetFatal(budget.limitMs) };
    if (first.kind === "overloaded")
      return { ok: false, fatal: overloaded(first, limits.startMs, "starting the learner's process") };
    const why = first.kind === "exit" ? first.description : first.kind;
    return { ok: false, fatal: { kind: "startFailed", message: `the learner's process did not start (${why})` } };
  }
  proc.send({ type: "load", root: ctx.root, cells: run, side: ctx.side, addon: ctx.addon });
  let at = 0,
    current = 0; // cells started so far; the cell running now (0: the child's own start)
  for (;;) {
    const e = await ctx.next(proc, limits.loadTimeoutMs);
    ctx.spent(learnerMs(e.used));
    if (e.kind === "message" && isMessage(e, "cell") && e.message.cell === run[at]?.cell) {
      current = run[at++].cell;
      continue;
    }
    if (e.kind === "message" && isMessage(e, "loaded")) {
      const errors = checkLoaded(
        e.message,
        run.slice(0, at).map((c) => c.cell),
      );
      if (errors && at === run.length) return { ok: true, errors };
    }
    proc.kill();
    return loadFailed(e, at, current, ctx);
  }
}

/** Why a start ended before its cells all ran, the process already killed. */
function loadFailed(e: Waited, at: number, current: number, { limits, budget }: LoadContext): Load {
  if (e.kind === "message" && isMessage(e, "startFailed") && at === 0) {
    const said = String(e.message.message).slice(0, MAX_MESSAGE_CHARS);
    return {
      ok: false,
      fatal: { kind: "startFailed", message: `the learner's process could not load the course helper: ${said}` },
    };
  }
  if (e.kind === "overloaded")
    return { ok: false, fatal: overloaded(e, limits.loadTimeoutMs, `the top-level code of cell ${current}`) };
  if (e.kind === "timeout") {
    if (budget.spent()) return { ok: false, fatal: budgetFatal(budget.limitMs) };
    const s = Math.round(limits.loadTimeoutMs / 1000);
    return { ok: false, cell: current, reason: `was skipped: its top-level code ran longer than ${s} s` };
  }
  if (e.kind === "exit") {
    const how = e.description.replace(/^exited \((.*)\)$/, "$1");
    return { ok: false, cell: current, reason: `was skipped: its top-level code ended the learner's process (${how})` };
  }
  return {
    ok: false,
    fatal: interfered(e.kind === "violation" ? e.why : "sent the grader a message it did not ask for"),
  };
}

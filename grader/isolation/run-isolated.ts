// Stage 4 — run isolated: the learner's compiled cells run in a child Node process with
// Node's permission model (reads limited to node_modules and the public data/, no child processes,
// no workers, no addons but the course's, nothing written) inside the OS sandbox of sandbox.ts
// (memory and CPU caps, no network, its own PID namespace), with limits of the learner's time — the
// CPU its process tree used and the time it idled of its own accord, read from the OS (cpu-meter.ts),
// never the time a busy machine kept it waiting: per cell of top-level code (a cell over it is skipped
// and the others run again), per call (a call that hangs kills the child; the next call starts a fresh
// one, so one runaway function costs only its part), for all top-level code over every start, and the
// notebook's whole budget (budget.ts). Each wait also has a backstop by the clock, BACKSTOP × its
// limit: reached while the learner's time is under the limit, it means the machine was too busy to
// judge ("overloaded", the grader's problem: graded again later), never a timeout.
// Every message from the child is checked against what was asked: the next cell, the id of the
// call; anything else ends the process and costs the learner, never the grader.
import { spawn } from "child_process";
import * as os from "os";
import { createBudget, realClock, type Budget, type Clock } from "./budget";
import { learnerMs, systemMeter, type CpuMeter } from "./cpu-meter";
import { MachineBusy } from "./errors";
import {
  killProcessGroup,
  startLearnerProcess,
  type LearnerProcess,
  type LearnerProcessDeps,
  type SpawnFn,
  type Waited,
} from "./learner-process";
import { MAX_MESSAGE_CHARS, type CallTarget, type ChildCell, type Outcome } from "./child";
import { checkOutcome, checkLoaded, isMessage } from "./replies";
import { sandboxCommand, type Sandbox, type SandboxLimits } from "./sandbox";
import { addonFor, learnerNodeArgs, type LearnerPlace } from "./learner-command";
import { BACKSTOP, MAX_SKIPPED_CELLS, type RunLimits } from "./limits";
import { budgetFatal, interfered, overloaded, timeoutText, type Fatal } from "./verdicts";
import type { CheckedProgram } from "./program";

export type { CallTarget } from "./child";
export type { LearnerPlace } from "./learner-command";
export { BACKSTOP, DEFAULT_RUN_LIMITS, MAX_SKIPPED_CELLS, type RunLimits } from "./limits";

export type CallOutcome =
  Outcome | { kind: "timeout" | "crashed" | "startFailed" | "budget" | "interfered" | "overloaded"; message: string };

export interface Isolated {
  /** Runtime errors raised by top-level code, by cell (cell 0: the learner's process could not start). Throws MachineBusy when the machine was too busy to judge. */
  loadErrors(): Promise<{ cell: number; message: string }[]>;
  /** `timeoutMs` of the learner's time. Throws MachineBusy when the machine was too busy to judge. */
  call(name: string, args: unknown[], timeoutMs: number, target?: CallTarget): Promise<CallOutcome>;
  close(): void;
}

export interface IsolatedDeps {
  spawn: SpawnFn;
  clock: Clock;
  /** The learner's time, from the OS (default: the best meter this system offers). */
  meter: CpuMeter;
  killGroup: LearnerProcessDeps["killGroup"];
  /** The OS layers around the learner's node (sandbox.ts). */
  sandbox: (nodeArgs: string[], limits: SandboxLimits) => Sandbox;
  /** The notebook's budget; every wait here is capped by it. */
  budget: Budget;
  /** Called with the pid of every learner process started (each leads its own process group). */
  onSpawn?: (pid: number) => void;
}

type Load =
  | { ok: true; errors: { cell: number; message: string }[] }
  | { ok: false; cell: number; reason: string }
  | { ok: false; fatal: Fatal };

export function createIsolated(
  program: CheckedProgram,
  { notebookDir, readable }: LearnerPlace,
  limits: RunLimits,
  given: Partial<IsolatedDeps> = {},
): Isolated {
  const deps: IsolatedDeps = {
    spawn,
    clock: realClock,
    meter: systemMeter(),
    killGroup: killProcessGroup,
    sandbox: sandboxCommand,
    budget: createBudget(Infinity),
    ...given,
  };
  const { budget } = deps;
  const addon = addonFor(notebookDir);
  const cells: ChildCell[] = program.cells
    .filter((c) => c.js !== undefined)
    .map((c) => ({ cell: c.cell, js: c.js!, topLevelAwait: c.topLevelAwait }));
  /** Cells whose top-level code hung or ended the process: left out of every later start. */
  const skipped = new Map<number, string>();
  // The one state: no process | a loaded, responsive process | nothing more can run.
  let state:
    | { name: "idle" }
    | { name: "ready"; proc: LearnerProcess; errors: { cell: number; message: string }[] }
    | { name: "dead"; fatal: Fatal } = { name: "idle" };
  let firstErrors: { cell: number; message: string }[] | undefined;
  let loadSpentMs = 0,
    starts = 0,
    nextId = 1;
  /** The next event within `ms` of the learner's time (and the budget), charged to the budget. */
  async function next(proc: LearnerProcess, ms: number): Promise<Waited> {
    const e = await proc.next({ ms: budget.cap(ms), backstopMs: ms * BACKSTOP });
    budget.charge(learnerMs(e.used));
    return e;
  }

  function open(): LearnerProcess {
    const cpu = Math.max(
      1,
      Math.min(limits.cpuSeconds, Math.ceil((budget.remainingMs() / 1000) * os.availableParallelism())),
    );
    const sandbox = deps.sandbox(learnerNodeArgs(readable, addon, limits.memoryMb), {
      memoryMb: limits.dataMb,
      cpuSeconds: cpu,
    });
    const proc = startLearnerProcess(
      sandbox.command,
      sandbox.args,
      { cwd: notebookDir, env: { PATH: process.env.PATH ?? "" }, detached: true, uid: sandbox.uid, gid: sandbox.gid },
      deps,
    );
    if (proc.pid !== undefined) deps.onSpawn?.(proc.pid);
    starts++;
    return proc;
  }

  /** One start: ready, the cells (each within its limit), then a ping answered. */
  async function load(proc: LearnerProcess): Promise<Load> {
    const first = await next(proc, limits.startMs);
    if (!isMessage(first, "ready")) {
      proc.kill();
      if (budget.spent()) return { ok: false, fatal: budgetFatal(budget.limitMs) };
      if (first.kind === "overloaded")
        return { ok: false, fatal: overloaded(first, limits.startMs, "starting the learner's process") };
      return {
        ok: false,
        fatal: {
          kind: "startFailed",
          message: `the learner's process did not start (${first.kind === "exit" ? first.description : first.kind})`,
        },
      };
    }
    const run = cells.filter((c) => !skipped.has(c.cell));
    proc.send({ type: "load", root: notebookDir, cells: run, side: program.sideOutputs, addon });
    let at = 0,
      current = 0; // cells started so far; the cell running now (0: the child's own start)
    for (;;) {
      const e = await next(proc, limits.loadTimeoutMs);
      loadSpentMs += learnerMs(e.used);
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
      if (e.kind === "message" && isMessage(e, "startFailed") && at === 0) {
        proc.kill();
        return {
          ok: false,
          fatal: {
            kind: "startFailed",
            message: `the learner's process could not load the course helper: ${String(e.message.message).slice(0, MAX_MESSAGE_CHARS)}`,
          },
        };
      }
      proc.kill();
      if (e.kind === "overloaded")
        return { ok: false, fatal: overloaded(e, limits.loadTimeoutMs, `the top-level code of cell ${current}`) };
      if (e.kind === "timeout") {
        if (budget.spent()) return { ok: false, fatal: budgetFatal(budget.limitMs) };
        return {
          ok: false,
          cell: current,
          reason: `was skipped: its top-level code ran longer than ${Math.round(limits.loadTimeoutMs / 1000)} s`,
        };
      }
      if (e.kind === "exit")
        return {
          ok: false,
          cell: current,
          reason: `was skipped: its top-level code ended the learner's process (${e.description.replace(/^exited \((.*)\)$/, "$1")})`,
        };
      return {
        ok: false,
        fatal: interfered(e.kind === "violation" ? e.why : "sent the grader a message it did not ask for"),
      };
    }
  }

  /** Whether the process still handles messages once its cells ran: top-level code can leave a loop of promises running. */
  async function answersPing(proc: LearnerProcess): Promise<boolean | Fatal> {
    const id = nextId++;
    proc.send({ type: "ping", id });
    const e = await next(proc, limits.pingMs);
    if (e.kind === "overloaded") return overloaded(e, limits.pingMs, "answering the grader's ping after the cells ran");
    return isMessage(e, "pong") && e.message.id === id;
  }

  /** A loaded, responsive process: starting one (again), skipping each cell whose top-level code hangs or ends it. */
  async function ensureLoaded(): Promise<LearnerProcess | undefined> {
    for (;;) {
      if (state.name === "ready") return state.proc;
      if (state.name === "dead") return undefined;
      if (budget.spent()) {
        state = { name: "dead", fatal: budgetFatal(budget.limitMs) };
        continue;
      }
      if (starts > 0 && loadSpentMs >= limits.loadBudgetMs) {
        state = {
          name: "dead",
          fatal: {
            kind: "timeout",
            message: `not run again: the notebook's top-level code has taken ${(loadSpentMs / 1000).toFixed(0)} s over ${starts} start${starts > 1 ? "s" : ""} of the learner's process, over the ${Math.round(limits.loadBudgetMs / 1000)} s allowed`,
          },
        };
        continue;
      }
      const proc = open();
      const r = await load(proc);
      if (r.ok) {
        const alive = await answersPing(proc);
        if (alive !== true) {
          proc.kill();
          state = {
            name: "dead",
            fatal: alive
              ? alive
              : budget.spent()
                ? budgetFatal(budget.limitMs)
                : {
                    kind: "timeout",
                    message:
                      "the notebook's top-level code keeps the learner's process busy after it ran (a loop of promises or timers?), so no function can be called",
                  },
          };
          continue;
        }
        firstErrors ??= r.errors;
        state = { name: "ready", proc, errors: r.errors };
        continue;
      }
      if ("fatal" in r) {
        state = { name: "dead", fatal: r.fatal };
        continue;
      }
      // Before the first cell, the child runs only the course's own start (addon, helper): the grader's problem.
      if (r.cell === 0) {
        state = {
          name: "dead",
          fatal: {
            kind: "startFailed",
            message: `the learner's process did not start: ${r.reason.replace(/^was skipped: its top-level code /, "")}`,
          },
        };
        continue;
      }
      skipped.set(r.cell, r.reason);
      if (skipped.size > MAX_SKIPPED_CELLS) {
        state = {
          name: "dead",
          fatal: {
            kind: "timeout",
            message: `more than ${MAX_SKIPPED_CELLS} cells' top-level code hung or ended the process (cells ${[...skipped.keys()].join(", ")}), so the notebook was not run further`,
          },
        };
      }
    }
  }

  const stop = () => {
    if (state.name === "ready") {
      state.proc.kill();
      state = { name: "idle" };
    }
  };
  let loadNotes: Promise<{ cell: number; message: string }[]> | undefined;

  return {
    loadErrors: () =>
      (loadNotes ??= (async () => {
        await ensureLoaded();
        if (state.name === "dead" && state.fatal.kind === "overloaded") throw new MachineBusy(state.fatal.message);
        const runtime = firstErrors ?? [];
        const notes = [
          ...[...skipped].map(([cell, message]) => ({ cell, message })),
          ...runtime.map((e) => ({ cell: e.cell, message: `raised an error when run: ${e.message}` })),
        ];
        // A process that could not start is the grader's problem (cell 0), not the learner's.
        if (state.name === "dead" && state.fatal.kind === "startFailed")
          notes.push({ cell: 0, message: state.fatal.message });
        return notes.sort((a, b) => a.cell - b.cell);
      })()),
    async call(name, args, timeoutMs, target) {
      const out = await callOnce(name, args, timeoutMs, target);
      if (out.kind === "overloaded") throw new MachineBusy(out.message);
      return out;
    },
    close: stop,
  };

  async function callOnce(
    name: string,
    args: unknown[],
    timeoutMs: number,
    target: CallTarget = { kind: "function" },
  ): Promise<CallOutcome> {
    const proc = await ensureLoaded();
    if (!proc) return (state as { fatal: Fatal }).fatal;
    const id = nextId++;
    proc.send({ type: "call", id, name, args, target });
    const e = await next(proc, timeoutMs);
    if (e.kind === "message" && isMessage(e, "result") && e.message.id === id) {
      const outcome = checkOutcome(e.message.outcome);
      if (outcome) return outcome;
    }
    stop();
    if (e.kind === "overloaded")
      return (state = { name: "dead", fatal: overloaded(e, timeoutMs, `the call of ${name}`) }).fatal;
    if (e.kind === "timeout") {
      if (budget.spent()) return (state = { name: "dead", fatal: budgetFatal(budget.limitMs) }).fatal;
      return { kind: "timeout", message: timeoutText(e, timeoutMs) };
    }
    if (e.kind === "exit")
      return {
        kind: "crashed",
        message: `the learner process ${e.description === "was killed" ? e.description : `${e.description} — out of memory, or process.exit?`}`,
      };
    state = {
      name: "dead",
      fatal: interfered(e.kind === "violation" ? e.why : "sent the grader a reply it did not ask for"),
    };
    return state.fatal;
  }
}

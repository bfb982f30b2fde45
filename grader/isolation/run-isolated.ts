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
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { childBundle } from "./child-bundle";
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
import { scaledMs, timeScale } from "./time-scale";
import type { CheckedProgram } from "./program";

export type { CallTarget } from "./child";

export type CallOutcome =
  Outcome | { kind: "timeout" | "crashed" | "startFailed" | "budget" | "interfered" | "overloaded"; message: string };

export interface RunLimits {
  /** The learner's time (CPU and own idling, not the clock) for each cell's top-level code; a cell over it is skipped and the rest run again. */
  loadTimeoutMs: number;
  /** All top-level code, over every start of the learner's process: past it, the process is not started again. */
  loadBudgetMs: number;
  /** V8's heap (--max-old-space-size). */
  memoryMb: number;
  /** All the process's memory, typed arrays included (RLIMIT_DATA, where prlimit exists). */
  dataMb: number;
  /** CPU time of one learner process (RLIMIT_CPU), never more than the cores × what is left of the budget. */
  cpuSeconds: number;
  /** The learner's time a loaded process may spend before it answers a ping: past it, its top-level code counts as starving it. */
  pingMs: number;
  /** From spawn to the child's first message: node starting inside the sandbox. */
  startMs: number;
}
/** The limits of the learner's time, scaled by COURSE_TIME_SCALE (time-scale.ts). */
export const DEFAULT_LIMITS: RunLimits = {
  loadTimeoutMs: scaledMs(10_000),
  loadBudgetMs: scaledMs(30_000),
  pingMs: scaledMs(3000),
  startMs: scaledMs(15_000),
  memoryMb: 512,
  dataMb: 2048,
  cpuSeconds: Math.round(600 * timeScale()),
};
/** Each wait's backstop by the clock is this many times its limit of the learner's time. */
export const BACKSTOP = 10;
/** A notebook may lose this many cells to runaway top-level code (each costs a load timeout) before grading stops. */
export const MAX_SKIPPED_CELLS = 2;

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

let childSource: string | undefined;
const childJs = (): string => (childSource ??= childBundle());

/** Where the learner's process runs: the notebook's folder (its cwd) and the folders it may read (the installed packages, the public data). */
export interface LearnerPlace {
  notebookDir: string;
  readable: string[];
}

/** The folders the permission model allows, each as given and as its real path (the model checks real paths). */
const readableDirs = (dirs: string[]) => [...new Set(dirs.flatMap((d) => [d, fs.realpathSync(d)]))];

/** The course's BLAS addon (built by `npm install`), if there is one: the learner's process preloads it. */
const addonFor = (notebookDir: string) => {
  const file = path.join(notebookDir, "course", "native", "build", "course_blas.node");
  return fs.existsSync(file) ? file : undefined;
};

/** Why nothing more can be called, and how a call is told so ("startFailed" is the grader's problem, the rest the notebook's). */
type Fatal = { kind: "timeout" | "startFailed" | "budget" | "interfered" | "overloaded"; message: string };
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
  const budgetFatal = (): Fatal => ({
    kind: "budget",
    message: `grading stopped: the notebook used all of its ${Math.round(budget.limitMs / 1000)} s`,
  });
  const overloaded = (e: Waited, limitMs: number, what: string): Fatal => ({
    kind: "overloaded",
    message: `the machine was too busy to grade fairly: ${what} took ${(e.used.wallMs / 1000).toFixed(0)} s by the clock while the learner's code used ${(learnerMs(e.used) / 1000).toFixed(1)} s of its ${(limitMs / 1000).toFixed(1)} s`,
  });
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
    const sandbox = deps.sandbox(
      [
        // NOTE: the permission model checks real paths, so a symlinked node_modules (a Gradescope or pnpm layout) is resolved first.
        "--experimental-permission",
        ...readableDirs(readable).map((dir) => `--allow-fs-read=${dir}`),
        // The child loads the course's addon before any learner code, then switches addon loading off.
        ...(addon ? ["--allow-addons"] : []),
        `--max-old-space-size=${limits.memoryMb}`,
        "--no-warnings",
        "-e",
        childJs(),
      ],
      { memoryMb: limits.dataMb, cpuSeconds: cpu },
    );
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
      if (budget.spent()) return { ok: false, fatal: budgetFatal() };
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
        if (budget.spent()) return { ok: false, fatal: budgetFatal() };
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

  const interfered = (why: string): Fatal => ({
    kind: "interfered",
    message: `the learner's process ${why}: the notebook's code interfered with the grader's channel, so nothing more was run`,
  });

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
        state = { name: "dead", fatal: budgetFatal() };
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
                ? budgetFatal()
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
      if (budget.spent()) return (state = { name: "dead", fatal: budgetFatal() }).fatal;
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

/** A call over its limit, in words that say which kind of runaway it was. */
function timeoutText(e: Waited, limitMs: number): string {
  return e.used.idleMs > e.used.cpuMs
    ? `timed out: it waited ${limitMs} ms without computing — a promise that never resolves, or a wait that never ends?`
    : `timed out after ${limitMs} ms of CPU — an infinite loop?`;
}

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
import type { CallTarget, ChildCell, Outcome } from "./child";
import { checkOutcome, isMessage } from "./replies";
import { loadCells, type LoadContext } from "./load-cells";
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

type State =
  | { name: "idle" }
  | { name: "ready"; proc: LearnerProcess; errors: { cell: number; message: string }[] }
  | { name: "dead"; fatal: Fatal };
const dead = (fatal: Fatal): State => ({ name: "dead", fatal });

export function createIsolated(
  program: CheckedProgram,
  place: LearnerPlace,
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
  return new IsolatedRun(program, place, limits, deps);
}

class IsolatedRun implements Isolated {
  private readonly addon: string | undefined;
  private readonly cells: ChildCell[];
  /** Cells whose top-level code hung or ended the process: left out of every later start. */
  private readonly skipped = new Map<number, string>();
  // The one state: no process | a loaded, responsive process | nothing more can run.
  private state: State = { name: "idle" };
  private firstErrors: { cell: number; message: string }[] | undefined;
  private loadNotes: Promise<{ cell: number; message: string }[]> | undefined;
  private loadSpentMs = 0;
  private starts = 0;
  private nextId = 1;

  constructor(
    private readonly program: CheckedProgram,
    private readonly place: LearnerPlace,
    private readonly limits: RunLimits,
    private readonly deps: IsolatedDeps,
  ) {
    this.addon = addonFor(place.notebookDir);
    this.cells = program.cells
      .filter((c) => c.js !== undefined)
      .map((c) => ({ cell: c.cell, js: c.js!, topLevelAwait: c.topLevelAwait }));
  }

  loadErrors(): Promise<{ cell: number; message: string }[]> {
    return (this.loadNotes ??= (async () => {
      await this.ensureLoaded();
      const state = this.state;
      if (state.name === "dead" && state.fatal.kind === "overloaded") throw new MachineBusy(state.fatal.message);
      const notes = [
        ...[...this.skipped].map(([cell, message]) => ({ cell, message })),
        ...(this.firstErrors ?? []).map((e) => ({ cell: e.cell, message: `raised an error when run: ${e.message}` })),
      ];
      // A process that could not start is the grader's problem (cell 0), not the learner's.
      if (state.name === "dead" && state.fatal.kind === "startFailed")
        notes.push({ cell: 0, message: state.fatal.message });
      return notes.sort((a, b) => a.cell - b.cell);
    })());
  }

  async call(name: string, args: unknown[], timeoutMs: number, target?: CallTarget): Promise<CallOutcome> {
    const out = await this.callOnce(name, args, timeoutMs, target);
    if (out.kind === "overloaded") throw new MachineBusy(out.message);
    return out;
  }

  close(): void {
    if (this.state.name === "ready") {
      this.state.proc.kill();
      this.state = { name: "idle" };
    }
  }

  /** The next event within `ms` of the learner's time (and the budget), charged to the budget. */
  private async next(proc: LearnerProcess, ms: number): Promise<Waited> {
    const { budget } = this.deps;
    const e = await proc.next({ ms: budget.cap(ms), backstopMs: ms * BACKSTOP });
    budget.charge(learnerMs(e.used));
    return e;
  }

  private open(): LearnerProcess {
    const { deps, limits } = this;
    const cpu = Math.max(
      1,
      Math.min(limits.cpuSeconds, Math.ceil((deps.budget.remainingMs() / 1000) * os.availableParallelism())),
    );
    const sandbox = deps.sandbox(learnerNodeArgs(this.place.readable, this.addon, limits.memoryMb), {
      memoryMb: limits.dataMb,
      cpuSeconds: cpu,
    });
    const proc = startLearnerProcess(
      sandbox.command,
      sandbox.args,
      {
        cwd: this.place.notebookDir,
        env: { PATH: process.env.PATH ?? "" },
        detached: true,
        uid: sandbox.uid,
        gid: sandbox.gid,
      },
      deps,
    );
    if (proc.pid !== undefined) deps.onSpawn?.(proc.pid);
    this.starts++;
    return proc;
  }

  private loadContext(): LoadContext {
    return {
      cells: this.cells.filter((c) => !this.skipped.has(c.cell)),
      root: this.place.notebookDir,
      side: this.program.sideOutputs,
      addon: this.addon,
      limits: this.limits,
      budget: this.deps.budget,
      next: (proc, ms) => this.next(proc, ms),
      spent: (ms) => (this.loadSpentMs += ms),
    };
  }

  /** A loaded, responsive process: starting one (again), skipping each cell whose top-level code hangs or ends it. */
  private async ensureLoaded(): Promise<LearnerProcess | undefined> {
    while (this.state.name === "idle") this.state = await this.startOnce();
    return this.state.name === "ready" ? this.state.proc : undefined;
  }

  /** One start of the process and what it leaves: ready, dead, or idle with one more cell skipped. */
  private async startOnce(): Promise<State> {
    const { budget } = this.deps;
    const { limits, skipped } = this;
    if (budget.spent()) return dead(budgetFatal(budget.limitMs));
    if (this.starts > 0 && this.loadSpentMs >= limits.loadBudgetMs) {
      const starts = `${this.starts} start${this.starts > 1 ? "s" : ""}`;
      return dead({
        kind: "timeout",
        message: `not run again: the notebook's top-level code has taken ${(this.loadSpentMs / 1000).toFixed(0)} s over ${starts} of the learner's process, over the ${Math.round(limits.loadBudgetMs / 1000)} s allowed`,
      });
    }
    const proc = this.open();
    const r = await loadCells(proc, this.loadContext());
    if (r.ok) return this.whenLoaded(proc, r.errors);
    if ("fatal" in r) return dead(r.fatal);
    // Before the first cell, the child runs only the course's own start (addon, helper): the grader's problem.
    if (r.cell === 0)
      return dead({
        kind: "startFailed",
        message: `the learner's process did not start: ${r.reason.replace(/^was skipped: its top-level code /, "")}`,
      });
    skipped.set(r.cell, r.reason);
    if (skipped.size <= MAX_SKIPPED_CELLS) return { name: "idle" };
    return dead({
      kind: "timeout",
      message: `more than ${MAX_SKIPPED_CELLS} cells' top-level code hung or ended the process (cells ${[...skipped.keys()].join(", ")}), so the notebook was not run further`,
    });
  }

  /** Ready once the loaded process still answers a ping: top-level code can leave a loop of promises running. */
  private async whenLoaded(proc: LearnerProcess, errors: { cell: number; message: string }[]): Promise<State> {
    const id = this.nextId++;
    proc.send({ type: "ping", id });
    const e = await this.next(proc, this.limits.pingMs);
    if (isMessage(e, "pong") && e.message.id === id) {
      this.firstErrors ??= errors;
      return { name: "ready", proc, errors };
    }
    proc.kill();
    if (e.kind === "overloaded")
      return dead(overloaded(e, this.limits.pingMs, "answering the grader's ping after the cells ran"));
    if (this.deps.budget.spent()) return dead(budgetFatal(this.deps.budget.limitMs));
    return dead({
      kind: "timeout",
      message:
        "the notebook's top-level code keeps the learner's process busy after it ran (a loop of promises or timers?), so no function can be called",
    });
  }

  private async callOnce(
    name: string,
    args: unknown[],
    timeoutMs: number,
    target: CallTarget = { kind: "function" },
  ): Promise<CallOutcome> {
    const proc = await this.ensureLoaded();
    if (!proc) return (this.state as { fatal: Fatal }).fatal;
    const id = this.nextId++;
    proc.send({ type: "call", id, name, args, target });
    const e = await this.next(proc, timeoutMs);
    if (e.kind === "message" && isMessage(e, "result") && e.message.id === id) {
      const outcome = checkOutcome(e.message.outcome);
      if (outcome) return outcome;
    }
    this.close();
    const { budget } = this.deps;
    if (e.kind === "overloaded") return this.die(overloaded(e, timeoutMs, `the call of ${name}`));
    if (e.kind === "timeout") {
      if (budget.spent()) return this.die(budgetFatal(budget.limitMs));
      return { kind: "timeout", message: timeoutText(e, timeoutMs) };
    }
    if (e.kind === "exit") {
      const how = e.description === "was killed" ? e.description : `${e.description} — out of memory, or process.exit?`;
      return { kind: "crashed", message: `the learner process ${how}` };
    }
    return this.die(interfered(e.kind === "violation" ? e.why : "sent the grader a reply it did not ask for"));
  }

  private die(fatal: Fatal): Fatal {
    this.state = dead(fatal);
    return fatal;
  }
}

// A pool of grading worker processes (bin/course.js __grade-worker), each reusing its type-checker
// across files: what a batch and the grading service grade on. Every file given gets an answer
// whatever happens to a worker: one that dies is replaced (its file is tried once more, then is an
// error), one that outlives a notebook's budget is killed, and nothing in this process reads a
// submission's content.
import type { LearnerKey } from "../sections";
import { fork, type ChildProcess } from "child_process";
import * as path from "path";
import { NOTEBOOK_BUDGET_MS, oneLine, TYPECHECK_MS, type GradeReport } from "../pipeline";
import { scaledMs } from "../isolation";

/**
 * One file's grading: a report, or why there is none (`inputError`: the file is not a notebook we can
 * grade; `busy`: the machine was too busy to grade it fairly, so it should be graded again later).
 */
export interface PoolOutcome {
  report?: GradeReport;
  error?: string;
  inputError?: boolean;
  busy?: boolean;
  seconds: number;
}

export interface PoolOptions {
  /** Workers at most (started when there is work for them). */
  jobs: number;
  /** The pid of every learner process the workers start (each leads its own process group). */
  onSpawn?: (pid: number) => void;
  /** Test seams: the worker to fork (default `bin/course.js __grade-worker`), and when a worker counts as stuck on a file. */
  worker?: { module: string; args: string[] };
  stuckAfterMs?: number;
}

export interface GradingPool {
  /** Grades `file` (as `section`; for `learner`'s variant when the section's numbers vary). */
  grade(file: string, section?: string, learner?: LearnerKey): Promise<PoolOutcome>;
  /** Files waiting for a worker, and files being graded. */
  queued(): number;
  busy(): number;
  /** Worker processes alive (started on demand, up to `jobs`). */
  workers(): number;
  /** Stops the workers once they are idle; files not yet started are answered with an error. */
  close(): Promise<void>;
}

/**
 * NOTE: one worker alone keeps ~1.5 cores busy: V8's background threads (concurrent GC marking and
 * JIT of the TypeScript compiler) add ~50 % to its main thread (measured per thread in /proc). Two
 * such workers on two cores fight for those threads, so with more than one worker each runs V8
 * single-threaded: 100 submissions took 60 s that way against 65–71 s with V8's own threads.
 */
const workerFlags = (jobs: number) => (jobs > 1 ? ["--single-threaded"] : []);
/**
 * A worker still on one file after this long by the clock is killed: it is stuck outside the grader's
 * own limits. Every limit inside counts CPU, so on a busy machine an honest grading can take many
 * times its CPU by the clock: this is the backstop (10×) of the learner's budget and the type-check.
 */
const STUCK_AFTER_MS = 10 * (NOTEBOOK_BUDGET_MS + TYPECHECK_MS + scaledMs(60_000));
/** Each file is tried on this many workers at most when its worker dies. */
const ATTEMPTS = 2;
/** Workers that exit before they are ready this many times in a row: they cannot start here. */
const START_FAILURES = 3;

/** What the pool and its workers say to each other over IPC (both are the grader's own code). */
export type ToWorker =
  { type: "grade"; i: number; file: string; section?: string; learner?: LearnerKey } | { type: "stop" };
export type FromWorker =
  | { type: "ready" }
  | { type: "spawned"; pid: number }
  | { type: "graded"; i: number; report?: GradeReport; error?: string; inputError?: boolean; busy?: boolean };

interface Task {
  i: number;
  file: string;
  section?: string;
  learner?: LearnerKey;
  attempts: number;
  resolve: (g: PoolOutcome) => void;
}

interface Worker {
  proc: ChildProcess;
  /** The learner processes it started for its current file (each leads its own process group). */
  learners: number[];
  ready: boolean;
  current?: Task;
  started: number;
  watchdog?: NodeJS.Timeout;
}

export function createGradingPool(o: PoolOptions): GradingPool {
  return new Pool(o);
}

class Pool implements GradingPool {
  private readonly worker: { module: string; args: string[] };
  private readonly stuckAfterMs: number;
  private readonly waiting: Task[] = [];
  private readonly all = new Set<Worker>();
  private readonly idle: Worker[] = [];
  private readonly whenClosed: (() => void)[] = [];
  private nextId = 0;
  private startFailures = 0;
  private closing = false;

  constructor(private readonly o: PoolOptions) {
    // COURSE_POOL_WORKER: another worker module, for the tests that make the grader itself fail.
    this.worker =
      o.worker ??
      (process.env.COURSE_POOL_WORKER
        ? { module: process.env.COURSE_POOL_WORKER, args: [] }
        : { module: path.join(__dirname, "..", "..", "bin", "course.js"), args: ["__grade-worker"] });
    this.stuckAfterMs = o.stuckAfterMs ?? STUCK_AFTER_MS;
  }

  grade(file: string, section?: string, learner?: LearnerKey): Promise<PoolOutcome> {
    if (this.closing) return Promise.resolve({ error: "the grading pool is closed", seconds: 0 });
    return new Promise((resolve) => {
      if (this.startFailures >= START_FAILURES) this.startFailures = 0; // new work: try starting workers again
      this.waiting.push({ i: this.nextId++, file, section, learner, attempts: 0, resolve });
      this.dispatch();
    });
  }

  queued(): number {
    return this.waiting.length;
  }

  busy(): number {
    return [...this.all].filter((w) => w.current).length;
  }

  workers(): number {
    return this.all.size;
  }

  close(): Promise<void> {
    this.closing = true;
    for (const t of this.waiting.splice(0)) t.resolve({ error: "the grading pool was closed", seconds: 0 });
    for (const w of this.idle.splice(0)) w.proc.send({ type: "stop" } satisfies ToWorker);
    if (this.all.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.whenClosed.push(resolve));
  }

  /** Idle workers take what waits; workers are started, up to `jobs`, for the rest. */
  private dispatch(): void {
    while (this.waiting.length && this.idle.length) this.feed(this.idle.shift()!);
    const starting = [...this.all].filter((w) => !w.ready).length;
    for (let n = Math.min(this.waiting.length - starting, this.o.jobs - this.all.size); n > 0; n--) this.startWorker();
  }

  private startWorker(): void {
    // The environment is passed explicitly: under Jest, `process.env` is the test's own copy (COURSE_TIME_SCALE set by a suite).
    const proc = fork(this.worker.module, this.worker.args, {
      env: process.env,
      execArgv: [...process.execArgv, ...workerFlags(this.o.jobs)],
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      serialization: "advanced",
    });
    const w: Worker = { proc, learners: [], ready: false, started: 0 };
    this.all.add(w);
    proc.on("message", (m: FromWorker) => this.heard(w, m));
    proc.on("exit", () => this.exited(w));
  }

  /** Gives this worker the next waiting file, or parks it (idle; stopped when the pool closes). */
  private feed(w: Worker): void {
    const t = this.waiting.shift();
    if (!t) {
      if (this.closing) w.proc.send({ type: "stop" } satisfies ToWorker);
      else this.idle.push(w);
      return;
    }
    t.attempts++;
    w.current = t;
    w.learners = [];
    w.started = Date.now();
    w.watchdog = setTimeout(() => w.proc.kill("SIGKILL"), this.stuckAfterMs);
    w.proc.send({ type: "grade", i: t.i, file: t.file, section: t.section, learner: t.learner } satisfies ToWorker);
  }

  private heard(w: Worker, m: FromWorker): void {
    if (m?.type === "ready") {
      w.ready = true;
      this.startFailures = 0;
      return this.feed(w);
    }
    if (m?.type === "spawned") {
      w.learners.push(m.pid);
      return this.o.onSpawn?.(m.pid);
    }
    const t = w.current;
    if (m?.type !== "graded" || !t || m.i !== t.i) return;
    clearTimeout(w.watchdog);
    w.current = undefined;
    w.learners = []; // the grader closed them with the file
    const seconds = (Date.now() - w.started) / 1000;
    t.resolve(
      m.report
        ? { report: m.report, seconds }
        : { error: oneLine(String(m.error)), inputError: m.inputError === true, busy: m.busy === true, seconds },
    );
    this.feed(w);
  }

  private exited(w: Worker): void {
    this.all.delete(w);
    killGroups(w.learners); // a worker killed mid-file leaves no learner process running
    if (this.idle.includes(w)) this.idle.splice(this.idle.indexOf(w), 1);
    const t = w.current;
    if (t) {
      // Its worker died on this file (or was killed as stuck): once more on a fresh worker, then an error.
      clearTimeout(w.watchdog);
      if (t.attempts < ATTEMPTS) this.waiting.unshift(t);
      else
        t.resolve({
          error: "the grading worker died while grading this submission (twice); it was not graded",
          seconds: (Date.now() - w.started) / 1000,
        });
    }
    if (!w.ready && ++this.startFailures >= START_FAILURES)
      for (const f of this.waiting.splice(0)) f.resolve({ error: "the grading workers could not start", seconds: 0 });
    if (this.closing) {
      if (this.all.size === 0) this.whenClosed.splice(0).forEach((f) => f());
    } else this.dispatch();
  }
}

/** SIGKILL to the process groups these learner processes lead (those already gone are skipped). */
export function killGroups(pids: number[]): void {
  for (const pid of pids.splice(0))
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
}

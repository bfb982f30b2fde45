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
  /** Gives this worker the next waiting file, or parks it (idle; stopped when the pool closes). */
  feed(): void;
}

export function createGradingPool(o: PoolOptions): GradingPool {
  // COURSE_POOL_WORKER: another worker module, for the tests that make the grader itself fail.
  const worker =
    o.worker ??
    (process.env.COURSE_POOL_WORKER
      ? { module: process.env.COURSE_POOL_WORKER, args: [] }
      : { module: path.join(__dirname, "..", "..", "bin", "course.js"), args: ["__grade-worker"] });
  const stuckAfterMs = o.stuckAfterMs ?? STUCK_AFTER_MS;
  const waiting: Task[] = [];
  const workers = new Set<Worker>();
  const idle: Worker[] = [];
  const whenClosed: (() => void)[] = [];
  let nextId = 0,
    startFailures = 0,
    closing = false;

  function startWorker() {
    // The environment is passed explicitly: under Jest, `process.env` is the test's own copy (COURSE_TIME_SCALE set by a suite).
    const proc = fork(worker.module, worker.args, {
      env: process.env,
      execArgv: [...process.execArgv, ...workerFlags(o.jobs)],
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      serialization: "advanced",
    });
    const w: Worker = {
      proc,
      learners: [],
      ready: false,
      started: 0,
      feed() {
        const t = waiting.shift();
        if (!t) {
          if (closing) proc.send({ type: "stop" } satisfies ToWorker);
          else idle.push(w);
          return;
        }
        t.attempts++;
        w.current = t;
        w.learners = [];
        w.started = Date.now();
        w.watchdog = setTimeout(() => proc.kill("SIGKILL"), stuckAfterMs);
        proc.send({ type: "grade", i: t.i, file: t.file, section: t.section, learner: t.learner } satisfies ToWorker);
      },
    };
    workers.add(w);
    proc.on("message", (m: FromWorker) => {
      if (m?.type === "ready") {
        w.ready = true;
        startFailures = 0;
        return w.feed();
      }
      if (m?.type === "spawned") {
        w.learners.push(m.pid);
        return o.onSpawn?.(m.pid);
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
      w.feed();
    });
    proc.on("exit", () => {
      workers.delete(w);
      killGroups(w.learners); // a worker killed mid-file leaves no learner process running
      if (idle.includes(w)) idle.splice(idle.indexOf(w), 1);
      const t = w.current;
      if (t) {
        // Its worker died on this file (or was killed as stuck): once more on a fresh worker, then an error.
        clearTimeout(w.watchdog);
        if (t.attempts < ATTEMPTS) waiting.unshift(t);
        else
          t.resolve({
            error: "the grading worker died while grading this submission (twice); it was not graded",
            seconds: (Date.now() - w.started) / 1000,
          });
      }
      if (!w.ready && ++startFailures >= START_FAILURES)
        for (const f of waiting.splice(0)) f.resolve({ error: "the grading workers could not start", seconds: 0 });
      if (closing) {
        if (workers.size === 0) whenClosed.splice(0).forEach((f) => f());
      } else dispatch();
    });
  }

  /** Idle workers take what waits; workers are started, up to `jobs`, for the rest. */
  function dispatch() {
    while (waiting.length && idle.length) idle.shift()!.feed();
    const starting = [...workers].filter((w) => !w.ready).length;
    for (let n = Math.min(waiting.length - starting, o.jobs - workers.size); n > 0; n--) startWorker();
  }

  return {
    grade(file, section, learner) {
      if (closing) return Promise.resolve({ error: "the grading pool is closed", seconds: 0 });
      return new Promise((resolve) => {
        if (startFailures >= START_FAILURES) startFailures = 0; // new work: try starting workers again
        waiting.push({ i: nextId++, file, section, learner, attempts: 0, resolve });
        dispatch();
      });
    },
    queued: () => waiting.length,
    busy: () => [...workers].filter((w) => w.current).length,
    workers: () => workers.size,
    close() {
      closing = true;
      for (const t of waiting.splice(0)) t.resolve({ error: "the grading pool was closed", seconds: 0 });
      for (const w of idle.splice(0)) w.proc.send({ type: "stop" } satisfies ToWorker);
      if (workers.size === 0) return Promise.resolve();
      return new Promise((resolve) => whenClosed.push(resolve));
    },
  };
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

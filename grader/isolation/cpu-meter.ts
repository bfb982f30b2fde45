// The learner's time, read by the grader from the operating system — never reported by the learner's
// process. Every grading limit that judges a learner compares with it, not with the clock, so a
// grade is the same on an idle and on a busy machine.
//
// For one wait of the grader (a cell, a call, a ping), over the learner's process tree (prlimit →
// unshare → node, every thread):
//   cpuMs  — time its threads ran on a CPU (Linux's schedstat: the scheduler's own nanoseconds);
//   idleMs — time it sat idle of its own accord: the clock, less the time its threads ran or waited in
//            the run queue for a CPU, less the time the grader itself waited for one. A learner that
//            awaits a promise that never resolves is idle; one that a busy machine leaves unscheduled
//            is not.
//   wallMs — the clock, for the backstop alone: a wait that reaches its backstop while the learner's
//            time is under its limit means the machine was too busy to judge, never a timeout.
// NOTE: run-queue waits are Linux's `run_delay` (/proc/<pid>/task/<tid>/schedstat, second field),
// which counts a runnable thread that a CPU quota throttles or a busy machine leaves waiting.
// Elsewhere (no /proc schedstat) the meter counts the clock as the learner's (clockMeter), and
// sandboxReport says so.
import * as fs from "fs";
import { realClock, type Clock } from "./budget";

export interface Usage {
  cpuMs: number;
  idleMs: number;
  wallMs: number;
}
/** One wait, measured from when it began. */
export interface Span {
  read(): Usage;
}
export interface CpuMeter {
  /** "schedstat": the OS's accounting; "clock": the wall clock counted as the learner's time. */
  readonly kind: "schedstat" | "clock";
  /** Starts measuring the process tree led by `pid` (the whole clock, for a process with no pid). */
  span(pid: number | undefined): Span;
}

/** The learner's time a usage counts against a limit: what it computed, and what it waited for of its own accord. */
export const learnerMs = (u: Usage): number => u.cpuMs + u.idleMs;

/** Where the OS cannot tell: every millisecond of the clock is the learner's. */
export function clockMeter(clock: Clock = realClock): CpuMeter {
  return {
    kind: "clock",
    span() {
      const t0 = clock.now();
      return {
        read: () => {
          const wallMs = clock.now() - t0;
          return { cpuMs: wallMs, idleMs: 0, wallMs };
        },
      };
    },
  };
}

/** Reads what the meter needs: a seam for specs. */
export interface ProcFs {
  read(file: string): string;
  list(dir: string): string[];
}
const realProcFs: ProcFs = {
  read: (f) => fs.readFileSync(f, "latin1"),
  list: (d) => fs.readdirSync(d),
};

interface Sample {
  onCpuNs: number;
  waitNs: number;
}
/** One thread's schedstat: nanoseconds on a CPU, nanoseconds waiting in the run queue (throws when the thread is gone). */
function schedstat(proc: ProcFs, file: string): Sample {
  const [on, wait] = proc.read(file).split(" ").map(Number);
  return { onCpuNs: on, waitNs: wait };
}

/** The schedstat of every thread of `pid` and of its descendants (node cannot start processes in the sandbox; unshare forks once). */
function sampleTree(pid: number, proc: ProcFs, depth = 0): Sample {
  const total: Sample = { onCpuNs: 0, waitNs: 0 };
  let tids: string[];
  try {
    tids = proc.list(`/proc/${pid}/task`);
  } catch {
    return total; // gone
  }
  for (const tid of tids) {
    try {
      const t = schedstat(proc, `/proc/${pid}/task/${tid}/schedstat`);
      total.onCpuNs += t.onCpuNs;
      total.waitNs += t.waitNs;
    } catch {
      // a thread that just ended
    }
  }
  if (depth < 4) {
    let children: string[] = [];
    try {
      children = proc.read(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/).filter(Boolean);
    } catch {
      // gone
    }
    for (const c of children) {
      const s = sampleTree(Number(c), proc, depth + 1);
      total.onCpuNs += s.onCpuNs;
      total.waitNs += s.waitNs;
    }
  }
  return total;
}

/** The grader's own main thread's run-queue wait: time the grader could not read a reply already sent. */
function graderWaitNs(proc: ProcFs): number {
  try {
    return schedstat(proc, `/proc/self/task/${process.pid}/schedstat`).waitNs;
  } catch {
    return 0;
  }
}

export function procMeter(clock: Clock = realClock, proc: ProcFs = realProcFs): CpuMeter {
  return {
    kind: "schedstat",
    span(pid) {
      if (pid === undefined) return clockMeter(clock).span(undefined);
      const base = sampleTree(pid, proc),
        grader0 = graderWaitNs(proc),
        t0 = clock.now();
      // A process tree that ends loses its threads' counts: what was read stays counted.
      let cpuMs = 0,
        busyMs = 0;
      return {
        read() {
          const s = sampleTree(pid, proc);
          cpuMs = Math.max(cpuMs, (s.onCpuNs - base.onCpuNs) / 1e6);
          busyMs = Math.max(busyMs, cpuMs + (s.waitNs - base.waitNs) / 1e6);
          const wallMs = clock.now() - t0;
          const graderMs = (graderWaitNs(proc) - grader0) / 1e6;
          return { cpuMs, idleMs: Math.max(0, wallMs - busyMs - graderMs), wallMs };
        },
      };
    },
  };
}

let detected: CpuMeter | undefined;
/** The best meter this system offers, found once. */
export function systemMeter(): CpuMeter {
  if (detected) return detected;
  let works: boolean;
  try {
    const t = schedstat(realProcFs, `/proc/self/task/${process.pid}/schedstat`);
    realProcFs.read(`/proc/self/task/${process.pid}/children`);
    works = Number.isFinite(t.onCpuNs) && Number.isFinite(t.waitNs) && t.onCpuNs > 0;
  } catch {
    works = false;
  }
  return (detected = works ? procMeter() : clockMeter());
}

/** CPU time of one thread of this process (by its OS id, which a worker thread reads from /proc/thread-self), in ms; undefined where the OS cannot tell. */
export function threadCpuMs(tid: number, proc: ProcFs = realProcFs): number | undefined {
  try {
    return schedstat(proc, `/proc/self/task/${tid}/schedstat`).onCpuNs / 1e6;
  } catch {
    return undefined;
  }
}

// The limits of one learner's run: the learner's time (CPU and own idling, read from the OS, never the
// clock) per cell, per start, for a ping and a start, and the OS caps on memory and CPU.
import { scaledMs, timeScale } from "./time-scale";

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
export const DEFAULT_RUN_LIMITS: RunLimits = {
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

// One budget per notebook: the learner's time its grading may take — the CPU its code used and the
// time it sat idle of its own accord (cpu-meter.ts), over the load and every call, never the time a
// busy machine kept it waiting. Every wait's limit is the smaller of its own and what is left.

export interface Clock {
  now(): number;
  setTimeout(f: () => void, ms: number): unknown;
  clearTimeout(t: unknown): void;
}
export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (f, ms) => setTimeout(f, ms),
  clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout),
};

export interface Budget {
  readonly limitMs: number;
  /** Milliseconds of the learner's time left (0 when spent). */
  remainingMs(): number;
  /** `ms`, or less when the budget has less left. */
  cap(ms: number): number;
  spent(): boolean;
  /** Counts learner time used by one wait. */
  charge(ms: number): void;
}

export function createBudget(limitMs: number): Budget {
  let used = 0;
  const remainingMs = () => Math.max(0, limitMs - used);
  // NOTE: a wait capped by the budget ends once the meter reads at least its cap, but a reading can
  // fall a fraction of a millisecond short of the cap it was compared with after rounding: the budget
  // counts as spent within 1 ms of its end, so a wait cut short by it is never called a timeout.
  const SLACK_MS = 1;
  return {
    limitMs,
    remainingMs,
    cap: (ms) => Math.min(ms, remainingMs()),
    spent: () => remainingMs() <= SLACK_MS,
    charge: (ms) => {
      used += Math.max(0, ms);
    },
  };
}

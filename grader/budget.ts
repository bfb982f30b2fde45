// One budget per notebook: the wall-clock time its grading may take, type-check, load and every call
// included, kept by the grader's own clock (outside the learner's process). Every wait is the
// smaller of its own limit and what is left of the budget.

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
  /** Milliseconds left (0 when spent). */
  remainingMs(): number;
  /** `ms`, or less when the budget has less left. */
  cap(ms: number): number;
  spent(): boolean;
}

export function createBudget(limitMs: number, clock: Clock = realClock): Budget {
  const start = clock.now();
  const remainingMs = () => Math.max(0, limitMs - (clock.now() - start));
  // NOTE: a timer set for the rest of the budget can fire up to a millisecond before this clock says
  // it is over (libuv counts whole milliseconds of its loop time; performance.now() does not), so
  // the budget counts as spent within 2 ms of its end: a wait cut short by it is never called a timeout.
  const SLACK_MS = 2;
  return {
    limitMs,
    remainingMs,
    cap: (ms) => Math.min(ms, remainingMs()),
    spent: () => remainingMs() <= SLACK_MS,
  };
}

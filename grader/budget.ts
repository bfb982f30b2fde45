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
  return { limitMs, remainingMs, cap: (ms) => Math.min(ms, remainingMs()), spent: () => remainingMs() <= 0 };
}

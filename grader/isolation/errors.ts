/**
 * The machine was too busy to grade fairly: a wait of the grader reached its backstop by the clock
 * while the learner's time was under its limit (or the type-check's thread was starved). The grader's
 * problem, never the learner's 0: batches and the service grade it again later; `course grade` says so
 * and exits with the internal-error code.
 */
export class MachineBusy extends Error {
  readonly exitCode = 3;
}

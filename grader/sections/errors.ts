/** A problem with the grader's input (not the learner's code): one line, exit code 2. */
export class InputError extends Error {
  readonly exitCode = 2;
}

/** A problem with the grader's input (not the learner's code): one line, exit code 2. */
export class InputError extends Error {
  readonly exitCode = 2;
}

/** The type-check ran out of time: the notebook is too much for the compiler. */
export class TypeCheckTimeout extends Error {}

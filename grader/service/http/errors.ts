// The HTTP side's one error: a refusal, with its status and one sentence for the learner or instructor.
/** A refusal with its HTTP status and one sentence for the learner or instructor. */
export class Refusal extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

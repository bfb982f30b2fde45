// A refused LTI request: one sentence for the person in front of the browser (or the CLI), with the
// HTTP status the service answers with. Nothing is stored for a refused launch.
export class LtiRefusal extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = "LtiRefusal";
  }
}

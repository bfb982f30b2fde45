// The queue's one error: grading failed for a reason of the grader's, not the learner's (retried with backoff,
// then marked failed, never stored as a score).
export class GraderFailure extends Error {}

// What the service keeps: learners, tokens, submissions and results, over one `Sql` interface with
// two engines (SQLite, PostgreSQL) and their migrations.
export { importRoster, issuedCsv, normalEmail, rotateToken } from "./roster";
export {
  partScores,
  regradeOutcome,
  WHICH,
  type PartScore,
  type RegradeItem,
  type RegradeTarget,
  type Which,
} from "./regrades";
export type { PastResult } from "./history";
export {
  NO_PENALTY,
  type Deadline,
  type Extension,
  type ExtensionChange,
  type GradedAttempt,
  type LatePolicy,
} from "./deadlines";
export { isClosed } from "./section-times";
export { createSqliteSql } from "./sql";
export { createPostgresSql, isUnavailable } from "./sql-postgres";
export {
  createStore,
  type BestRow,
  type GradedSubmission,
  type Learner,
  type Store,
  type StoredResult,
  type Submission,
} from "./store";
export { hashToken, instructorKey, keyMatches, newSubmissionId, newToken, tokenMatches } from "./tokens";
export type { LtiContext, OutgoingScore, Platform } from "./lti";

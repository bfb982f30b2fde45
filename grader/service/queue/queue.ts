// The service's grading queue: one interface and the policy both implementations share (the fair
// order, retries and their backoff, what a restart queues again). Two implementations: on this
// machine (local-queue.ts: the grader's worker pool) and across machines on BullMQ (queue-bullmq.ts).
import type { SubmissionToGrade } from "./grade-submission";
import type { Store, Submission } from "../store";

export interface QueueStats {
  /** Where the grading happens: "local" (this process's pool) or "bullmq". */
  kind: "local" | "bullmq";
  waiting: number;
  active: number;
  /** Jobs waiting for a retry after the grader failed on them. */
  delayed: number;
  /** Jobs that failed for good (the grader's reasons), as the queue counts them. */
  failed: number;
  /** Gradings that can run at once, and the workers alive. */
  capacity: number;
  workers: number;
}

/** A stored submission to queue: whose it is (the order is fair across learners) and, after restarts, how often the service died grading it. */
export interface Queued extends SubmissionToGrade {
  learnerId: string;
  /** Gradings started before (recover()): from MAX_ATTEMPTS on, it waits behind everything else. */
  attempts?: number;
  /** Set for an item of a regrade (store/regrades.ts): graded after every learner's new submission. */
  regrade?: string;
}

/**
 * The fair order (both queues): each learner's k-th waiting submission after every learner's
 * (k−1)-th, counting the ones being graded, so one learner's many submissions delay another's first
 * by at most one grading per worker; a submission the service died grading MAX_ATTEMPTS times (the
 * grader's crash, not the learner's doing) goes after everything else instead of failing.
 */
export const rankOf = (ownAhead: number, attempts = 0): number =>
  attempts >= MAX_ATTEMPTS ? 1000 + attempts : 1 + ownAhead;
/** A regrade's items wait behind every learner's new submissions (whose ranks stay far below this). */
export const REGRADE_RANK = 500;
/** A queued job's rank: rankOf, a regrade's item ranked as if REGRADE_RANK − 1 of its learner's were ahead. */
export const rankOfJob = (q: Queued, ownAhead: number): number =>
  rankOf(q.regrade ? REGRADE_RANK - 1 : ownAhead, q.attempts);

export interface GradingQueue {
  /** A submission already in the store, to grade; `notebook`: its bytes, when the caller holds them already. */
  enqueue(s: Queued, notebook?: Buffer): Promise<void>;
  /** Submissions waiting or being graded (a regrade's items not counted): the queue limit compares with this. */
  depth(): Promise<number>;
  /** Queues again what the store holds unfinished (after a restart): how many. */
  recover(): Promise<number>;
  stats(): Promise<QueueStats>;
  /** Stops taking work and waits for the gradings under way. */
  close(): Promise<void>;
}

/** Notebooks kept per learner and section once graded, besides the best (course serve --keep-notebooks). */
export const DEFAULT_KEEP_NOTEBOOKS = 10;

/** How often a queue looks in the store for regrades requested since (by `course regrade`). */
export const REGRADE_POLL_MS = 2000;

/** The grader's own failures are retried this many times in all, after BACKOFF_MS × 4^(n−1). */
export const MAX_ATTEMPTS = 3;
export const BACKOFF_MS = 2000;

/** A submission's variant seed (hex), or undefined for a section whose numbers do not vary. */
export type SeedOf = (s: { learnerId: string; section: string }) => Promise<string | undefined>;

/**
 * What a restart queues again: every unfinished submission, those the service died grading
 * MAX_ATTEMPTS times last (rankOf); one it died grading 2 × MAX_ATTEMPTS times fails (for the
 * instructor), so a notebook that kills the grader itself is not tried forever.
 */
export async function recoverable(store: Store, unfinished: Submission[]): Promise<Queued[]> {
  const out: Queued[] = [];
  for (const s of unfinished) {
    if (s.attempts >= 2 * MAX_ATTEMPTS)
      await store.fail(s.id, `the service stopped while grading it ${s.attempts} times`);
    else out.push({ id: s.id, section: s.section, fileName: s.fileName, learnerId: s.learnerId, attempts: s.attempts });
  }
  return out;
}

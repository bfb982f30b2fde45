// The service's grading queue. One interface, two implementations: on this machine (below: stored
// submissions graded in the order received on the grader's worker pool) and across machines on
// BullMQ (queue-bullmq.ts). The store is the queue's memory here: a submission is stored before it
// is queued, marked while it is graded, and its result stored once (by submission id), so a service
// killed mid-grading grades again, when it starts, what was queued or in progress.
import type { GradingPool } from "../../batch";
import { GraderFailure } from "./errors";
import { gradeSubmission, type SubmissionToGrade } from "./grade-submission";
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
}

/**
 * The fair order (both queues): each learner's k-th waiting submission after every learner's
 * (k−1)-th, counting the ones being graded, so one learner's many submissions delay another's first
 * by at most one grading per worker; a submission the service died grading MAX_ATTEMPTS times (the
 * grader's crash, not the learner's doing) goes after everything else instead of failing.
 */
export const rankOf = (ownAhead: number, attempts = 0): number =>
  attempts >= MAX_ATTEMPTS ? 1000 + attempts : 1 + ownAhead;

export interface GradingQueue {
  /** A submission already in the store, to grade; `notebook`: its bytes, when the caller holds them already. */
  enqueue(s: Queued, notebook?: Buffer): Promise<void>;
  /** Submissions waiting or being graded: the queue limit compares with this. */
  depth(): Promise<number>;
  /** Queues again what the store holds unfinished (after a restart): how many. */
  recover(): Promise<number>;
  stats(): Promise<QueueStats>;
  /** Stops taking work and waits for the gradings under way. */
  close(): Promise<void>;
}

/** Notebooks kept per learner and section once graded, besides the best (course serve --keep-notebooks). */
export const DEFAULT_KEEP_NOTEBOOKS = 10;

/** After a result is stored: the retention rule (store/retention.ts) over that learner and section; undefined keeps all. */
export async function retain(store: Store, id: string, keep: number | undefined): Promise<void> {
  if (keep === undefined) return;
  const s = await store.submission(id);
  if (s) await store.pruneNotebooks(s.learnerId, s.section, keep);
}

/** The grader's own failures are retried this many times in all, after BACKOFF_MS × 4^(n−1). */
export const MAX_ATTEMPTS = 3;
export const BACKOFF_MS = 2000;

export interface LocalQueueOptions {
  store: Store;
  pool: GradingPool;
  /** Gradings at once (the pool's workers). */
  jobs: number;
  now?: () => number;
  log?: (line: string) => void;
  backoffMs?: number;
  /** The retention rule: notebooks kept per learner and section besides the best; undefined keeps all. */
  keepNotebooks?: number;
}

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

export function createLocalQueue(o: LocalQueueOptions): GradingQueue {
  const now = o.now ?? Date.now;
  const backoff = o.backoffMs ?? BACKOFF_MS;
  const waiting: Queued[] = [];
  const running = new Map<string, Promise<void>>();
  /** Whose submission each grading under way is. */
  const runningLearner = new Map<string, string>();
  const retries = new Map<string, NodeJS.Timeout>();
  let closing = false;

  /** Each waiting submission's rank, fixed when it was queued (rankOf: the learner's own ahead of it then). */
  const ranks = new Map<string, number>();
  const ownAhead = (learnerId: string) =>
    [...runningLearner.values()].filter((l) => l === learnerId).length +
    waiting.filter((w) => w.learnerId === learnerId).length;
  /** The waiting submission to grade next: the lowest rank, the earliest among equals. */
  function nextIndex(): number {
    let best = 0;
    waiting.forEach((w, i) => {
      if (ranks.get(w.id)! < ranks.get(waiting[best].id)!) best = i;
    });
    return best;
  }

  async function grade(s: Queued): Promise<void> {
    if (!(await o.store.startGrading(s.id, now()))) return; // graded or failed meanwhile
    const [stored, bytes] = [await o.store.submission(s.id), await o.store.notebook(s.id)];
    if (!stored || !bytes) return;
    try {
      const result = await gradeSubmission(o.pool, s, bytes, now);
      const first = await o.store.finish(s.id, result);
      await retain(o.store, s.id, o.keepNotebooks);
      o.log?.(
        `${first ? "graded" : "already graded, result kept"} ${s.id} (${s.section}): ${result.status} ${result.score}/${result.maxScore} in ${result.seconds.toFixed(1)} s`,
      );
    } catch (e) {
      if (!(e instanceof GraderFailure) || closing) throw e; // stays unfinished: graded again at the next start
      // `stored` was read after startGrading: its attempts count this one.
      if (stored.attempts >= MAX_ATTEMPTS) {
        await o.store.fail(s.id, e.message);
        o.log?.(
          `the grader failed on ${s.id} (${e.message}): failed ${s.id} (${s.section}) after ${MAX_ATTEMPTS} attempts`,
        );
        return;
      }
      const delay = backoff * 4 ** (stored.attempts - 1);
      o.log?.(`the grader failed on ${s.id} (${e.message}); trying again in ${delay / 1000} s`);
      retries.set(
        s.id,
        setTimeout(() => {
          retries.delete(s.id);
          waiting.unshift(s);
          pump();
        }, delay),
      );
    }
  }

  function pump() {
    while (!closing && running.size < o.jobs && waiting.length) {
      const [s] = waiting.splice(nextIndex(), 1);
      runningLearner.set(s.id, s.learnerId);
      const p = grade(s)
        .catch((e) => o.log?.(`grading ${s.id} stopped: ${(e as Error).message} (it stays queued for the next start)`))
        .finally(() => {
          running.delete(s.id);
          runningLearner.delete(s.id);
          if (!retries.has(s.id)) ranks.delete(s.id); // a retry keeps its rank
          pump();
        });
      running.set(s.id, p);
    }
  }

  const queue: GradingQueue = {
    async enqueue(s) {
      if (closing || running.has(s.id) || retries.has(s.id) || waiting.some((w) => w.id === s.id)) return;
      ranks.set(s.id, rankOf(ownAhead(s.learnerId), s.attempts));
      waiting.push(s);
      pump();
    },
    depth: async () => waiting.length + running.size + retries.size,
    async recover() {
      const unfinished = await o.store.unfinished();
      for (const s of await recoverable(o.store, unfinished)) await queue.enqueue(s);
      return unfinished.length;
    },
    stats: async () => ({
      kind: "local",
      waiting: waiting.length,
      active: running.size,
      delayed: retries.size,
      failed: 0,
      capacity: o.jobs,
      workers: o.pool.workers(),
    }),
    async close() {
      closing = true;
      waiting.splice(0);
      for (const t of retries.values()) clearTimeout(t);
      retries.clear();
      // NOTE: the gradings under way first, the pool after: a grading that has just started may wait
      // for a pool worker still starting, and closing the pool would drop it.
      await Promise.all(running.values());
      await o.pool.close();
    },
  };
  return queue;
}

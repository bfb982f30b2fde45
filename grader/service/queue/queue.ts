// The service's grading queue. One interface, two implementations: on this machine (below: stored
// submissions graded in the order received on the grader's worker pool) and across machines on
// BullMQ (queue-bullmq.ts). The store is the queue's memory here: a submission is stored before it
// is queued, marked while it is graded, and its result stored once (by submission id), so a service
// killed mid-grading grades again, when it starts, what was queued or in progress.
import type { GradingPool } from "../../batch";
import { GraderFailure } from "./errors";
import { gradeSubmission, type SubmissionToGrade } from "./grade-submission";
import { fromJobKey, jobKey, jobRecord } from "./jobs";
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
  /** The learner's seed for a submission's section, when its numbers vary (serve.ts: from the course's secret). */
  seedOf?: SeedOf;
}

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

export function createLocalQueue(o: LocalQueueOptions): GradingQueue {
  const now = o.now ?? Date.now;
  const backoff = o.backoffMs ?? BACKOFF_MS;
  // Each map is keyed by jobKey: a submission's id, or a regrade item's.
  const waiting: Queued[] = [];
  const running = new Map<string, Promise<void>>();
  /** The job behind each grading under way. */
  const runningJob = new Map<string, Queued>();
  const retries = new Map<string, NodeJS.Timeout>();
  let closing = false;

  /** Each waiting job's rank, fixed when it was queued (rankOfJob: the learner's own submissions ahead of it then). */
  const ranks = new Map<string, number>();
  const ownAhead = (learnerId: string) =>
    [...runningJob.values(), ...waiting].filter((q) => q.learnerId === learnerId && !q.regrade).length;
  /** The waiting job to grade next: the lowest rank, the earliest among equals. */
  function nextIndex(): number {
    let best = 0;
    waiting.forEach((w, i) => {
      if (ranks.get(jobKey(w))! < ranks.get(jobKey(waiting[best]))!) best = i;
    });
    return best;
  }

  async function grade(s: Queued): Promise<void> {
    const record = jobRecord(o.store, s, o.keepNotebooks);
    const attempts = await record.start(now());
    if (attempts === undefined) return; // graded or failed meanwhile
    const bytes = await o.store.notebook(s.id);
    if (!bytes?.length) {
      await record.fail("its notebook was not kept (the retention rule dropped it)", now());
      return;
    }
    try {
      const seed = await o.seedOf?.(s);
      const result = await gradeSubmission(o.pool, { ...s, ...(seed ? { seed } : {}) }, bytes, now);
      o.log?.(await record.finish(result, now()));
    } catch (e) {
      if (!(e instanceof GraderFailure) || closing) throw e; // stays unfinished: graded again at the next start
      if (attempts >= MAX_ATTEMPTS) {
        await record.fail(e.message, now());
        o.log?.(
          `the grader failed on ${jobKey(s)} (${e.message}): failed ${jobKey(s)} (${s.section}) after ${MAX_ATTEMPTS} attempts`,
        );
        return;
      }
      const delay = backoff * 4 ** (attempts - 1);
      o.log?.(`the grader failed on ${jobKey(s)} (${e.message}); trying again in ${delay / 1000} s`);
      retries.set(
        jobKey(s),
        setTimeout(() => {
          retries.delete(jobKey(s));
          waiting.unshift(s);
          pump();
        }, delay),
      );
    }
  }

  function pump() {
    while (!closing && running.size < o.jobs && waiting.length) {
      const [s] = waiting.splice(nextIndex(), 1);
      const key = jobKey(s);
      runningJob.set(key, s);
      const p = grade(s)
        .catch((e) => o.log?.(`grading ${key} stopped: ${(e as Error).message} (it stays queued for the next start)`))
        .finally(() => {
          running.delete(key);
          runningJob.delete(key);
          if (!retries.has(key)) ranks.delete(key); // a retry keeps its rank
          pump();
        });
      running.set(key, p);
    }
  }

  const queued = (key: string) => running.has(key) || retries.has(key) || waiting.some((w) => jobKey(w) === key);
  /** Queues the regrade items the store holds unfinished that are not queued here yet. */
  async function pickUpRegrades(): Promise<number> {
    let n = 0;
    for (const item of await o.store.unfinishedRegradeItems())
      if (!closing && !queued(jobKey(item))) {
        await queue.enqueue(item);
        n++;
      }
    return n;
  }
  const poll = setInterval(() => {
    pickUpRegrades().catch((e) => o.log?.(`looking for regrades: ${(e as Error).message} (trying again)`));
  }, REGRADE_POLL_MS);
  poll.unref();

  const queue: GradingQueue = {
    async enqueue(s) {
      if (closing || queued(jobKey(s))) return;
      ranks.set(jobKey(s), rankOfJob(s, ownAhead(s.learnerId)));
      waiting.push(s);
      pump();
    },
    depth: async () =>
      [...waiting, ...runningJob.values()].filter((q) => !q.regrade).length +
      [...retries.keys()].filter((k) => !fromJobKey(k).regrade).length,
    async recover() {
      const unfinished = await o.store.unfinished();
      for (const s of await recoverable(o.store, unfinished)) await queue.enqueue(s);
      await pickUpRegrades();
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
      clearInterval(poll);
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

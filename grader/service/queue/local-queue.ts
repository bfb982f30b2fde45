// The grading queue on this machine: stored submissions graded in the fair order (queue.ts) on the
// grader's worker pool. The store is the queue's memory here: a submission is stored before it is
// queued, marked while it is graded, and its result stored once (by submission id), so a service
// killed mid-grading grades again, when it starts, what was queued or in progress.
import type { GradingPool } from "../../batch";
import { GraderFailure } from "./errors";
import { gradeSubmission } from "./grade-submission";
import { fromJobKey, jobKey, jobRecord } from "./jobs";
import {
  BACKOFF_MS,
  MAX_ATTEMPTS,
  REGRADE_POLL_MS,
  rankOfJob,
  recoverable,
  type GradingQueue,
  type Queued,
  type QueueStats,
  type SeedOf,
} from "./queue";
import type { Store } from "../store";

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

export function createLocalQueue(o: LocalQueueOptions): GradingQueue {
  return new LocalQueue(o);
}

class LocalQueue implements GradingQueue {
  private readonly now: () => number;
  private readonly backoff: number;
  // Each map is keyed by jobKey: a submission's id, or a regrade item's.
  private readonly waiting: Queued[] = [];
  private readonly running = new Map<string, Promise<void>>();
  /** The job behind each grading under way. */
  private readonly runningJob = new Map<string, Queued>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  /** Each waiting job's rank, fixed when it was queued (rankOfJob: the learner's own submissions ahead of it then). */
  private readonly ranks = new Map<string, number>();
  private readonly poll: NodeJS.Timeout;
  private closing = false;

  constructor(private readonly o: LocalQueueOptions) {
    this.now = o.now ?? Date.now;
    this.backoff = o.backoffMs ?? BACKOFF_MS;
    this.poll = setInterval(() => {
      this.pickUpRegrades().catch((e) => o.log?.(`looking for regrades: ${(e as Error).message} (trying again)`));
    }, REGRADE_POLL_MS);
    this.poll.unref();
  }

  async enqueue(s: Queued): Promise<void> {
    const key = jobKey(s);
    if (this.closing || this.queued(key)) return;
    this.ranks.set(key, rankOfJob(s, this.ownAhead(s.learnerId)));
    this.waiting.push(s);
    this.pump();
  }

  async depth(): Promise<number> {
    const jobs = [...this.waiting, ...this.runningJob.values()].filter((q) => !q.regrade).length;
    return jobs + [...this.retries.keys()].filter((k) => !fromJobKey(k).regrade).length;
  }

  async recover(): Promise<number> {
    const unfinished = await this.o.store.unfinished();
    for (const s of await recoverable(this.o.store, unfinished)) await this.enqueue(s);
    await this.pickUpRegrades();
    return unfinished.length;
  }

  async stats(): Promise<QueueStats> {
    return {
      kind: "local",
      waiting: this.waiting.length,
      active: this.running.size,
      delayed: this.retries.size,
      failed: 0,
      capacity: this.o.jobs,
      workers: this.o.pool.workers(),
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.poll);
    this.waiting.splice(0);
    for (const t of this.retries.values()) clearTimeout(t);
    this.retries.clear();
    // NOTE: the gradings under way first, the pool after: a grading that has just started may wait
    // for a pool worker still starting, and closing the pool would drop it.
    await Promise.all(this.running.values());
    await this.o.pool.close();
  }

  private ownAhead(learnerId: string): number {
    return [...this.runningJob.values(), ...this.waiting].filter((q) => q.learnerId === learnerId && !q.regrade).length;
  }

  private queued(key: string): boolean {
    return this.running.has(key) || this.retries.has(key) || this.waiting.some((w) => jobKey(w) === key);
  }

  /** The waiting job to grade next: the lowest rank, the earliest among equals. */
  private nextIndex(): number {
    const rank = (q: Queued) => this.ranks.get(jobKey(q))!;
    let best = 0;
    this.waiting.forEach((w, i) => {
      if (rank(w) < rank(this.waiting[best])) best = i;
    });
    return best;
  }

  private pump(): void {
    while (!this.closing && this.running.size < this.o.jobs && this.waiting.length) {
      const [s] = this.waiting.splice(this.nextIndex(), 1);
      const key = jobKey(s);
      this.runningJob.set(key, s);
      const p = this.grade(s)
        .catch((e) =>
          this.o.log?.(`grading ${key} stopped: ${(e as Error).message} (it stays queued for the next start)`),
        )
        .finally(() => {
          this.running.delete(key);
          this.runningJob.delete(key);
          if (!this.retries.has(key)) this.ranks.delete(key); // a retry keeps its rank
          this.pump();
        });
      this.running.set(key, p);
    }
  }

  private async grade(s: Queued): Promise<void> {
    const { o, now } = this;
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
      if (!(e instanceof GraderFailure) || this.closing) throw e; // stays unfinished: graded again at the next start
      if (attempts >= MAX_ATTEMPTS) {
        await record.fail(e.message, now());
        o.log?.(
          `the grader failed on ${jobKey(s)} (${e.message}): failed ${jobKey(s)} (${s.section}) after ${MAX_ATTEMPTS} attempts`,
        );
        return;
      }
      this.retryLater(s, e.message, this.backoff * 4 ** (attempts - 1));
    }
  }

  private retryLater(s: Queued, why: string, delay: number): void {
    const key = jobKey(s);
    this.o.log?.(`the grader failed on ${key} (${why}); trying again in ${delay / 1000} s`);
    this.retries.set(
      key,
      setTimeout(() => {
        this.retries.delete(key);
        this.waiting.unshift(s);
        this.pump();
      }, delay),
    );
  }

  /** Queues the regrade items the store holds unfinished that are not queued here yet. */
  private async pickUpRegrades(): Promise<number> {
    let n = 0;
    for (const item of await this.o.store.unfinishedRegradeItems())
      if (!this.closing && !this.queued(jobKey(item))) {
        await this.enqueue(item);
        n++;
      }
    return n;
  }
}

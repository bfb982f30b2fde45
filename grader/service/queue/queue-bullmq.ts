// The grading queue across machines, on BullMQ (Redis): every accepted submission becomes a job
// (its id the submission's, so adding it twice adds it once) that any `course worker` takes; the
// worker returns the result as the job's value and the servers store it. Delivery is at least once —
// a worker killed mid-job is found by BullMQ's stalled-job check and the job graded again — and the
// store keeps the first result (by submission id), so results are stored exactly once.
//
// The servers learn of results two ways: BullMQ's completed/failed events (at once), and a
// reconciliation every few seconds over the store's unfinished submissions (a job completed while
// no server listened, or while the database was down, is stored then; a job Redis lost is added
// again; a job that failed for good is marked failed for the instructor).
import { Queue, QueueEvents, type Job } from "bullmq";
import IORedis from "ioredis";
import type { SubmissionToGrade } from "./grade-submission";
import type { SeedOf } from "./queue";
import { fromJobKey, jobKey, jobRecord } from "./jobs";
import {
  BACKOFF_MS,
  MAX_ATTEMPTS,
  rankOfJob,
  recoverable,
  type GradingQueue,
  type Queued,
  type QueueStats,
} from "./queue";
import type { Store, StoredResult } from "../store";

export const GRADING_QUEUE = "course-grading";
/** Each worker process announces itself under this prefix (a key that expires unless renewed). */
export const WORKER_KEY = "course:workers:";

/**
 * What a grading job carries: the submission's id, section and file name (and the regrade, for a
 * regrade's item) — not its notebook, whose bytes wait beside the job under NOTEBOOK_KEY + the job's
 * id until its result is stored (then deleted): a finished job holds a few kilobytes of result,
 * never the learner's megabytes. A job's id is jobKey's: the submission's id for a submission.
 */
export type GradingJob = SubmissionToGrade & { regrade?: string };
export type GradingJobResult = StoredResult;
export const NOTEBOOK_KEY = "course:notebook:";
/** A notebook left in Redis (its server gone before storing the result) expires after this. */
const NOTEBOOK_TTL_S = 7 * 24 * 3600;

/** A Redis connection as BullMQ wants it: commands wait for a reconnect instead of failing. */
export const redisConnection = (url: string): IORedis => new IORedis(url, { maxRetriesPerRequest: null });

export interface BullQueueOptions {
  redis: string;
  store: Store;
  /** Reads a submission's notebook (the store's). */
  notebook: (id: string) => Promise<Buffer | undefined>;
  log: (line: string) => void;
  /** How often unfinished submissions are reconciled with their jobs. */
  reconcileMs?: number;
  /** The retention rule: notebooks kept per learner and section besides the best; undefined keeps all. */
  keepNotebooks?: number;
  /** The learner's seed for a submission's section (only the seed travels with the job, never the secret). */
  seedOf?: SeedOf;
}

/** A job's options; `priority` 1 first (rankOf: the learner's own submissions ahead of it, plus one). */
export function jobOptions(id: string, priority = 1) {
  return {
    jobId: id,
    priority,
    attempts: MAX_ATTEMPTS,
    backoff: { type: "exponential" as const, delay: BACKOFF_MS },
    // Kept a day once graded (a server down meanwhile reads its result then; later, it grades again),
    // at most 10,000 of them; a month once failed (at most 1,000).
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600, count: 1_000 },
  };
}

export async function createBullQueue(o: BullQueueOptions): Promise<GradingQueue> {
  return new BullQueue(o);
}

type GradingJobOf = Job<GradingJob, GradingJobResult>;

class BullQueue implements GradingQueue {
  private readonly connection: IORedis;
  private readonly eventsConnection: IORedis;
  private readonly queue: Queue<GradingJob, GradingJobResult>;
  private readonly events: QueueEvents;
  private readonly timer: NodeJS.Timeout;
  private closing = false;

  constructor(private readonly o: BullQueueOptions) {
    this.connection = redisConnection(o.redis);
    this.queue = new Queue<GradingJob, GradingJobResult>(GRADING_QUEUE, { connection: this.connection });
    this.eventsConnection = redisConnection(o.redis);
    this.events = new QueueEvents(GRADING_QUEUE, { connection: this.eventsConnection });
    this.queue.on("error", (e) => o.log(`redis (queue): ${e.message}`));
    this.events.on("error", (e) => o.log(`redis (events): ${e.message}`));
    this.listen();
    this.timer = setInterval(() => {
      this.reconcile()
        .then((n) => n && o.log(`queued again ${n} submission${n > 1 ? "s" : ""} that Redis did not hold`))
        .catch((e) => o.log(`reconciling with the queue: ${(e as Error).message} (trying again)`));
    }, o.reconcileMs ?? 5000);
    this.timer.unref();
  }

  async enqueue(s: Queued, notebook?: Buffer): Promise<void> {
    // NOTE: the submission is stored already. If Redis does not take the job in time, the answer
    // is still 202: the reconciliation adds the job once Redis is back.
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      this.o.store.recent(s.learnerId, 0).then((r) => this.add(s, Math.max(0, r.pending - 1), notebook)),
      new Promise<void>((resolve) => {
        timeout = setTimeout(() => {
          this.o.log(`redis is slow or away: ${s.id} is stored and will be queued when it is back`);
          resolve();
        }, 3000);
      }),
    ]).finally(() => clearTimeout(timeout));
  }

  async depth(): Promise<number> {
    const c = await this.queue.getJobCounts("waiting", "active", "delayed", "prioritized", "paused");
    // A regrade's items share the queue (behind new submissions) but not the submissions' limit.
    const regrading = (await this.o.store.unfinishedRegradeItems()).length;
    return Math.max(0, Object.values(c).reduce((a, b) => a + b, 0) - regrading);
  }

  /** At a start, what the service died grading MAX_ATTEMPTS times goes last (recoverable). */
  async recover(): Promise<number> {
    return this.reconcile(await recoverable(this.o.store, await this.o.store.unfinished()));
  }

  async stats(): Promise<QueueStats> {
    const c = await this.queue.getJobCounts("waiting", "active", "delayed", "failed", "prioritized", "paused");
    const workers = await liveWorkers(this.connection);
    return {
      kind: "bullmq",
      waiting: c.waiting + c.prioritized + c.paused,
      active: c.active,
      delayed: c.delayed,
      failed: c.failed,
      capacity: workers.reduce((n, w) => n + w.jobs, 0),
      workers: workers.length,
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.timer);
    await this.events.close();
    await this.queue.close();
    // BullMQ leaves connections it was given open: they are ours to close.
    this.connection.disconnect();
    this.eventsConnection.disconnect();
  }

  /** BullMQ's events: a worker took a job (the learner's display says "grading"), finished it, failed it for good. */
  private listen(): void {
    const { o, queue, events } = this;
    events.on("active", ({ jobId }) => {
      const { id, regrade } = fromJobKey(jobId);
      (regrade ? o.store.startRegradeItem(regrade, id) : o.store.startGrading(id, Date.now())).catch(() => undefined);
    });
    events.on("completed", ({ jobId }) => {
      void (async () => {
        const job = await queue.getJob(jobId);
        if (job) await this.store(job);
      })().catch((e) => o.log(`storing the result of ${jobId} later (${(e as Error).message})`));
    });
    events.on("failed", ({ jobId }) => {
      void (async () => {
        const job = await queue.getJob(jobId);
        if (job && (await job.getState()) === "failed") await this.failedForGood(job);
      })().catch((e) => o.log(`marking ${jobId} failed later (${(e as Error).message})`));
    });
  }

  private recordOf(job: GradingJobOf) {
    return jobRecord(this.o.store, { ...job.data, learnerId: "" }, this.o.keepNotebooks);
  }

  private async store(job: GradingJobOf): Promise<void> {
    const result = job.returnvalue;
    if (!result) return;
    const line = await this.recordOf(job).finish(result, Date.now());
    await this.connection.del(NOTEBOOK_KEY + job.id);
    this.o.log(line);
  }

  private async failedForGood(job: GradingJobOf): Promise<void> {
    await this.connection.del(NOTEBOOK_KEY + job.id);
    if (await this.recordOf(job).fail(job.failedReason || "the grader failed", Date.now()))
      this.o.log(`failed ${job.id} (${job.data.section}) after ${job.attemptsMade} attempts: ${job.failedReason}`);
  }

  /** Puts the notebook beside its job (read from the store unless the caller, the API, has it); false if the store has none. */
  private async putNotebook(s: Queued, notebook?: Buffer): Promise<boolean> {
    const bytes = notebook ?? (await this.o.notebook(s.id));
    if (!bytes?.length) return false;
    await this.connection.set(NOTEBOOK_KEY + jobKey(s), bytes, "EX", NOTEBOOK_TTL_S);
    return true;
  }

  /** Adds the job, its notebook first (a worker that takes the job finds it), in the fair order (rankOfJob). */
  private async add(s: Queued, ownAhead: number, notebook?: Buffer): Promise<void> {
    if (!(await this.putNotebook(s, notebook))) {
      if (s.regrade) await this.o.store.failRegradeItem(s.regrade, s.id, "its notebook was not kept", Date.now());
      return;
    }
    const seed = await this.o.seedOf?.(s);
    const job: GradingJob = {
      id: s.id,
      section: s.section,
      fileName: s.fileName,
      ...(seed ? { seed } : {}),
      ...(s.regrade ? { regrade: s.regrade } : {}),
    };
    await this.queue.add("grade", job, jobOptions(jobKey(s), rankOfJob(s, ownAhead)));
  }

  /** One unfinished job against BullMQ's: store what finished, add again what Redis lost; true when added. */
  private async reconcileOne(s: Queued, own: number): Promise<boolean> {
    const job = await this.queue.getJob(jobKey(s));
    const state = job ? await job.getState() : "missing";
    if (state === "completed") await this.store(job!);
    else if (state === "failed") await this.failedForGood(job!);
    else if (state === "missing" || state === "unknown") {
      await this.add(s, own);
      return true;
    } else if (!(await this.connection.exists(NOTEBOOK_KEY + jobKey(s)))) await this.putNotebook(s); // Redis lost it
    return false;
  }

  /** Each unfinished submission and regrade item against its job. */
  private async reconcile(late: Queued[] = []): Promise<number> {
    let added = 0;
    const ahead = new Map<string, number>(); // each learner's unfinished submissions so far (oldest first)
    const recovered = new Map(late.map((s) => [s.id, s]));
    for (const s of await this.o.store.unfinished()) {
      const own = ahead.get(s.learnerId) ?? 0;
      ahead.set(s.learnerId, own + 1);
      if (this.closing) break;
      if (await this.reconcileOne(recovered.get(s.id) ?? { ...s, attempts: 0 }, own)) added++;
    }
    for (const item of await this.o.store.unfinishedRegradeItems()) {
      if (this.closing) break;
      if (await this.reconcileOne({ ...item, attempts: 0 }, 0)) added++;
    }
    return added;
  }
}

export interface WorkerInfo {
  host: string;
  pid: number;
  jobs: number;
  since: string;
}
/** The workers that announced themselves in the last few seconds. */
export async function liveWorkers(redis: IORedis): Promise<WorkerInfo[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${WORKER_KEY}*`, "COUNT", 100);
    keys.push(...found);
    cursor = next;
  } while (cursor !== "0");
  if (!keys.length) return [];
  return (await redis.mget(keys)).flatMap((v) => (v ? [JSON.parse(v) as WorkerInfo] : []));
}

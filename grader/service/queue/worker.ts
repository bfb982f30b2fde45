// `course worker --redis URL [--jobs N]`: takes grading jobs from BullMQ and grades each with the
// grader's pool and sandbox (the same as `course grade`), N at a time at most, returning the result
// as the job's value for the servers to store. A result is the learner's outcome whatever their code
// did; when the grader itself fails (GraderFailure) the job fails and BullMQ retries it with backoff.
// While Redis is away the worker reconnects and resumes; SIGTERM finishes the jobs under way first.
import { Worker, type Job } from "bullmq";
import * as os from "os";
import { createGradingPool } from "../../batch";
import { DEFAULT_RUN_LIMITS, sandboxReport } from "../../isolation";
import { gradeSubmission } from "./grade-submission";
import {
  GRADING_QUEUE,
  NOTEBOOK_KEY,
  redisConnection,
  WORKER_KEY,
  type GradingJob,
  type GradingJobResult,
  type WorkerInfo,
} from "./queue-bullmq";

export interface WorkerOptions {
  redis: string;
  jobs: number;
  /** BullMQ's lock on a job being graded, and how often workers look for jobs whose lock expired. */
  lockMs: number;
  stalledCheckMs: number;
  log: (line: string) => void;
}

/** How often a worker renews its announcement (it expires after three times this). */
const HEARTBEAT_MS = 5000;

export async function runGradingWorker(o: WorkerOptions): Promise<{ close(): Promise<void> }> {
  const pool = createGradingPool({ jobs: o.jobs });
  const connection = redisConnection(o.redis);
  // The notebooks are read on a connection of their own: BullMQ's may be waiting on a blocking command.
  const reads = redisConnection(o.redis);
  const worker = new Worker<GradingJob, GradingJobResult>(
    GRADING_QUEUE,
    async (job: Job<GradingJob, GradingJobResult>) => {
      const { id, section, fileName, regrade, seed } = job.data;
      o.log(`grading ${id} (${section}${regrade ? `, regrade ${regrade}` : ""}), attempt ${job.attemptsMade + 1}`);
      const notebook = await reads.getBuffer(NOTEBOOK_KEY + job.id);
      // Retried with backoff: a server's reconciliation puts a lost notebook back from its store.
      if (!notebook)
        throw new Error(`the notebook of ${job.id} is not in Redis (a server puts it back from its store)`);
      const result = await gradeSubmission(pool, { id, section, fileName, seed }, notebook);
      o.log(`graded ${job.id}: ${result.status} ${result.score}/${result.maxScore} in ${result.seconds.toFixed(1)} s`);
      return result;
    },
    {
      connection,
      concurrency: o.jobs,
      lockDuration: o.lockMs,
      stalledInterval: o.stalledCheckMs,
      // A job whose worker died twice is graded a third time; a third death fails it (for the instructor).
      maxStalledCount: 2,
    },
  );
  worker.on("error", (e) => o.log(`redis: ${e.message} (reconnecting)`));
  worker.on("failed", (job, e) => job && o.log(`the grader failed on ${job.data.id}: ${e.message}`));
  worker.on("stalled", (jobId) => o.log(`job ${jobId} stalled (its worker died): it is graded again`));

  const key = `${WORKER_KEY}${os.hostname()}:${process.pid}`;
  const info: WorkerInfo = { host: os.hostname(), pid: process.pid, jobs: o.jobs, since: new Date().toISOString() };
  const beat = () =>
    connection
      .set(key, JSON.stringify(info), "PX", HEARTBEAT_MS * 3)
      .catch((e: Error) => o.log(`heartbeat: ${e.message}`));
  await beat();
  const heart = setInterval(beat, HEARTBEAT_MS);
  // Which of the sandbox's OS layers this machine offers (a container may refuse namespaces).
  o.log(sandboxReport({ memoryMb: DEFAULT_RUN_LIMITS.dataMb, cpuSeconds: DEFAULT_RUN_LIMITS.cpuSeconds }));
  o.log(`taking jobs from ${GRADING_QUEUE} on ${o.redis.replace(/\/\/[^@]*@/, "//…@")}, ${o.jobs} at a time`);

  let closing: Promise<void> | undefined;
  return {
    close: () =>
      (closing ??= (async () => {
        clearInterval(heart);
        await worker.close(); // waits for the jobs under way
        await pool.close();
        await connection.del(key).catch(() => undefined);
        connection.disconnect();
        reads.disconnect();
      })()),
  };
}

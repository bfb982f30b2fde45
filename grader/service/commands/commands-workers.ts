// The commands of grading across machines: `course worker` (take BullMQ jobs and grade them) and
// `course status` (the queue, its workers and grading times).
import type { Command } from "commander";
import * as os from "os";
import { InputError } from "../../pipeline";
import { percentiles } from "../queue";
import { GRADING_QUEUE, liveWorkers, redisConnection, runGradingWorker } from "../queue";
import { untilSignal } from "./commands";
import { openStore } from "./serve";
import { Queue } from "bullmq";

interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  help: string;
}
const seconds = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InputError(`${flag} needs a number of seconds above 0, got "${v}"`);
  return n;
};

export function addWorkerCommands(program: Command, io: Io): void {
  program
    .command("worker")
    .description("take grading jobs from the service's Redis (BullMQ) and grade them here, with the grader's sandbox")
    .requiredOption("--redis <url>", "the Redis the service queues on (course serve --redis URL)")
    .option("--jobs <n>", "gradings at once on this machine (default: one per core)", (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InputError(`--jobs needs a whole number ≥ 1, got "${v}"`);
      return n;
    })
    .option(
      "--lock-seconds <s>",
      "a job whose worker has not renewed its lock this long is graded again elsewhere",
      seconds("--lock-seconds"),
      30,
    )
    .option("--stalled-check-seconds <s>", "how often to look for such jobs", seconds("--stalled-check-seconds"), 30)
    .addHelpText("after", io.help)
    .action(async (o: { redis: string; jobs?: number; lockSeconds: number; stalledCheckSeconds: number }) => {
      const log = (line: string) => io.err.write(`course worker: ${line}\n`);
      const w = await runGradingWorker({
        redis: o.redis,
        jobs: o.jobs ?? os.availableParallelism(),
        lockMs: o.lockSeconds * 1000,
        stalledCheckMs: o.stalledCheckSeconds * 1000,
        log,
      });
      io.out.write("ready\n");
      await untilSignal(log, "finishing the jobs under way, then stopping", w.close);
    });

  program
    .command("status")
    .description("the grading queue: jobs per state, workers alive, and grading time per section")
    .requiredOption("--redis <url>", "the Redis the service queues on")
    .option("--data <dir>", "the service's folder (SQLite store), for submissions and grading times")
    .option("--database <url>", "the service's PostgreSQL store, for submissions and grading times")
    .option("--json", "print it as JSON")
    .addHelpText("after", io.help)
    .action(async (o: { redis: string; data?: string; database?: string; json?: boolean }) => {
      const connection = redisConnection(o.redis);
      const queue = new Queue(GRADING_QUEUE, { connection });
      try {
        const counts = await queue.getJobCounts("waiting", "active", "delayed", "completed", "failed", "prioritized");
        const workers = await liveWorkers(connection);
        let store: Awaited<ReturnType<typeof openStore>> | undefined;
        if (o.data || o.database) store = await openStore(o.data ?? ".", o.database);
        const submissions = store ? await store.counts() : undefined;
        const times = store ? percentiles(await store.gradingSeconds(5000)) : undefined;
        await store?.close();
        const status = { queue: counts, workers, submissions, gradingSeconds: times };
        if (o.json) return void io.out.write(JSON.stringify(status, null, 2) + "\n");
        const lines = [
          `queue ${GRADING_QUEUE}: ${counts.waiting + counts.prioritized} waiting, ${counts.active} active, ${counts.delayed} to retry, ${counts.failed} failed, ${counts.completed} completed (kept a week)`,
          `workers alive: ${workers.length}${workers.length ? ` (${workers.map((w) => `${w.host}:${w.pid} × ${w.jobs}`).join(", ")}); ${workers.reduce((n, w) => n + w.jobs, 0)} gradings at once` : ""}`,
        ];
        if (submissions)
          lines.push(
            `submissions: ${submissions.queued} queued, ${submissions.grading} grading, ${submissions.graded} graded, ${submissions.failed} failed`,
          );
        for (const [section, t] of Object.entries(times ?? {}))
          lines.push(`  ${section}: p50 ${t.p50.toFixed(1)} s, p95 ${t.p95.toFixed(1)} s over the latest ${t.n}`);
        io.out.write(lines.join("\n") + "\n");
      } finally {
        await queue.close();
        connection.disconnect();
      }
    });
}

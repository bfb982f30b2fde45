// The service's status, read one way for the API, the instructor's page and `course status`: queue
// depth, submissions per state, grading time per section, the failed submissions.
import type { Store } from "../store";
import type { GradingQueue } from "./queue";

/** Grading seconds per section: how many, the median and the 95th percentile. */
export function percentiles(
  rows: { section: string; seconds: number }[],
): Record<string, { n: number; p50: number; p95: number }> {
  const by = new Map<string, number[]>();
  for (const r of rows) by.set(r.section, [...(by.get(r.section) ?? []), r.seconds]);
  const at = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)];
  return Object.fromEntries(
    [...by].map(([s, xs]) => {
      xs.sort((a, b) => a - b);
      return [s, { n: xs.length, p50: at(xs, 0.5), p95: at(xs, 0.95) }];
    }),
  );
}

/** Queue depth, jobs per state, workers, grading time per section and the failed submissions. */
export async function status(c: { queue: GradingQueue; store: Store }) {
  const [queue, submissions, seconds, failed] = await Promise.all([
    c.queue.stats(),
    c.store.counts(),
    c.store.gradingSeconds(5000),
    c.store.failed(),
  ]);
  return {
    queue,
    submissions,
    gradingSeconds: percentiles(seconds),
    failed: failed.slice(0, 100).map((s) => ({
      id: s.id,
      section: s.section,
      receivedAt: new Date(s.receivedAt).toISOString(),
      attempts: s.attempts,
      failure: s.failure ?? "",
    })),
  };
}

// What a queue records in the store for one grading job, whichever kind it is: a learner's
// submission (its one result) or an item of a regrade (a new result that may replace the current
// one). Both queues grade the two kinds alike and ask this for the bookkeeping.
import type { Store, StoredResult } from "../store";
import type { Queued } from "./queue";

export interface JobRecord {
  /** Marks it as being graded: its attempts counting this one, or undefined when it is finished already. */
  start(now: number): Promise<number | undefined>;
  /** Stores the result unless another grading stored one first: a line for the log. */
  finish(r: StoredResult, now: number): Promise<string>;
  /** The grader could not grade it, for good: false when it was finished already. */
  fail(why: string, now: number): Promise<boolean>;
}

/** A job's key in the queue: the submission's id, or the regrade's and the submission's (a submission may be in several regrades). */
export const jobKey = (q: { id: string; regrade?: string }): string => (q.regrade ? `${q.regrade}.${q.id}` : q.id);
/** The submission and regrade of a job key (jobKey's inverse). */
export function fromJobKey(key: string): { id: string; regrade?: string } {
  const dot = key.indexOf(".");
  return dot < 0 ? { id: key } : { regrade: key.slice(0, dot), id: key.slice(dot + 1) };
}

/** After a result is stored: the retention rule (store/retention.ts) over that learner and section; undefined keeps all. */
async function retain(store: Store, id: string, keep: number | undefined): Promise<void> {
  if (keep === undefined) return;
  const s = await store.submission(id);
  if (s) await store.pruneNotebooks(s.learnerId, s.section, keep);
}

const scoreOf = (r: StoredResult) => `${r.status} ${r.score}/${r.maxScore} in ${r.seconds.toFixed(1)} s`;

export function jobRecord(store: Store, q: Queued, keepNotebooks?: number): JobRecord {
  const { id, section, regrade } = q;
  if (regrade)
    return {
      start: () => store.startRegradeItem(regrade, id),
      async finish(r, now) {
        const outcome = await store.finishRegradeItem(regrade, id, r, now);
        const what =
          outcome === "applied"
            ? "regraded"
            : outcome === "kept"
              ? "regraded, lower score not applied,"
              : "already regraded, outcome kept:";
        return `${what} ${id} (${section}, ${regrade}): ${scoreOf(r)}`;
      },
      fail: (why, now) => store.failRegradeItem(regrade, id, why, now),
    };
  return {
    async start(now) {
      if (!(await store.startGrading(id, now))) return undefined;
      return (await store.submission(id))?.attempts;
    },
    async finish(r) {
      const first = await store.finish(id, r);
      await retain(store, id, keepNotebooks);
      return `${first ? "graded" : "already graded, result kept"} ${id} (${section}): ${scoreOf(r)}`;
    },
    fail: (why) => store.fail(id, why),
  };
}

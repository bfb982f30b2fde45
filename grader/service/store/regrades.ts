// Regrades: graded submissions of a section graded again after the instructor edited it (a wrong
// hidden case, a tolerance, points). A regrade is a request (which submissions, whether scores may
// fall, the instructor's message) and one item per submission, queued like a submission and graded
// by the same workers. An item's new result replaces the current one — which moves to
// result_history, never deleted — unless it is lower and the regrade keeps scores from falling;
// either way the item records old and new scores per part, for the instructor's report. The first
// finish of an item wins, so a worker killed midway cannot store a second outcome.
import type { StoredResult } from "./store";
import type { Sql } from "./sql";
import { resultHistoryOf, type PastResult } from "./history";

/** Which of a learner's graded submissions of the section: their best, their last, or all. */
export type Which = "best" | "last" | "all";
export const WHICH: readonly Which[] = ["best", "last", "all"];

export interface RegradeRequest {
  section: string;
  which: Which;
  /** A new result lower than the current one is recorded in the report but not applied. */
  neverLower: boolean;
  /** Why, in the instructor's words: learners read it beside the new result. */
  message: string;
  /** Only these learners (ids); all when absent. */
  learnerIds?: string[];
}

/** A graded submission a regrade would take. */
export interface RegradeTarget {
  id: string;
  learnerId: string;
  email: string;
  section: string;
  fileName: string;
  receivedAt: number;
  score: number;
  /** False when retention dropped its notebook: it cannot be graded again and keeps its result. */
  hasNotebook: boolean;
}

export interface PartScore {
  name: string;
  points: number;
  maxPoints: number;
}
export interface RegradeItem {
  submissionId: string;
  learnerId: string;
  email: string;
  fileName: string;
  receivedAt: number;
  state: "queued" | "grading" | "done" | "failed";
  attempts: number;
  /** applied: the new result is current; kept: it was lower and the regrade never lowers. */
  outcome?: "applied" | "kept";
  old?: { score: number; parts: PartScore[] };
  new?: { score: number; parts: PartScore[] };
  failure?: string;
}
export interface Regrade extends Omit<RegradeRequest, "learnerIds"> {
  id: string;
  requestedAt: number;
  items: RegradeItem[];
}
/** An unfinished item, as the queues take it. */
export interface QueuedRegradeItem {
  regrade: string;
  id: string;
  section: string;
  fileName: string;
  learnerId: string;
  attempts: number;
}

export interface Regrades {
  regradeTargets(r: Omit<RegradeRequest, "message" | "neverLower">): Promise<RegradeTarget[]>;
  /** Records a regrade and its items (queued); the queues pick them up. */
  addRegrade(id: string, r: RegradeRequest, submissionIds: string[], now: number): Promise<void>;
  /** Items not finished (queued or being graded), oldest regrade first. */
  unfinishedRegradeItems(): Promise<QueuedRegradeItem[]>;
  /** Marks an item as being graded; its attempts counting this one, or undefined when it is finished. */
  startRegradeItem(regrade: string, id: string): Promise<number | undefined>;
  /** Stores an item's outcome unless it has one: what it did, or undefined when it was finished already. */
  finishRegradeItem(regrade: string, id: string, r: StoredResult, now: number): Promise<"applied" | "kept" | undefined>;
  /** The grader could not grade it (after its retries): the current result stays. False when finished. */
  failRegradeItem(regrade: string, id: string, why: string, now: number): Promise<boolean>;
  regrade(id: string): Promise<Regrade | undefined>;
  /** The results a submission had before its current one, oldest first. */
  resultHistory(submissionId: string): Promise<PastResult[]>;
}

interface ItemRow {
  submission_id: string;
  learner_id: string;
  email: string;
  file_name: string;
  received_at: number;
  state: RegradeItem["state"];
  attempts: number;
  outcome: "applied" | "kept" | null;
  old_score: number | null;
  old_parts: string | null;
  new_score: number | null;
  new_parts: string | null;
  failure: string | null;
}

/** Each part's points of a report, as a regrade's report compares them. */
export const partScores = (report: { parts: PartScore[] } | undefined): PartScore[] =>
  (report?.parts ?? []).map(({ name, points, maxPoints }) => ({ name, points, maxPoints }));
const partsOf = (report: string | null | undefined): PartScore[] =>
  partScores(report ? (JSON.parse(report) as { parts: PartScore[] }) : undefined);

/** What a new result does to the current one: replaces it, unless it is lower and scores may not fall. */
export const regradeOutcome = (neverLower: boolean, current: number | undefined, next: number): "applied" | "kept" =>
  neverLower && current !== undefined && next < current ? "kept" : "applied";

/** Each learner's best (the gradebook's rule) or last graded submission, or every one. */
const ORDER: Record<Which, string> = {
  best: "r.score DESC, s.received_at ASC, s.id ASC",
  last: "s.received_at DESC, s.id DESC",
  all: "s.id",
};

async function regradeTargetsOf(
  sql: Sql,
  ...[r]: Parameters<Regrades["regradeTargets"]>
): ReturnType<Regrades["regradeTargets"]> {
  const only = r.learnerIds ? `AND s.learner_id IN (${r.learnerIds.map(() => "?").join(", ") || "NULL"})` : "";
  const rows = await sql.all<{
    id: string;
    learner_id: string;
    email: string;
    section: string;
    file_name: string;
    received_at: number;
    score: number;
    size: number;
    place: number;
  }>(
    `SELECT * FROM (SELECT s.id, s.learner_id, l.email, s.section, s.file_name, s.received_at, r.score,
           length(s.notebook) AS size,
           ROW_NUMBER() OVER (PARTITION BY s.learner_id ORDER BY ${ORDER[r.which]}) AS place
         FROM submissions s JOIN results r ON r.submission_id = s.id JOIN learners l ON l.id = s.learner_id
         WHERE s.section = ? AND s.state = 'graded' ${only}) ranked
         ${r.which === "all" ? "" : "WHERE place = 1"} ORDER BY email, received_at`,
    [r.section, ...(r.learnerIds ?? [])],
  );
  return rows.map((t) => ({
    id: t.id,
    learnerId: t.learner_id,
    email: t.email,
    section: t.section,
    fileName: t.file_name,
    receivedAt: t.received_at,
    score: t.score,
    hasNotebook: Number(t.size) > 0,
  }));
}

const finishRegradeItemOf = (
  sql: Sql,
  ...[regrade, id, r, now]: Parameters<Regrades["finishRegradeItem"]>
): ReturnType<Regrades["finishRegradeItem"]> =>
  sql.transaction(async (tx) => {
    // NOTE: two servers hear of one completed job: the item is claimed by one UPDATE, which
    // PostgreSQL makes the other wait for and then find finished (a SELECT first would let both in).
    const claimed = await tx.run(
      `UPDATE regrade_items SET state = 'done', finished_at = ?
           WHERE regrade_id = ? AND submission_id = ? AND state IN ('queued', 'grading')`,
      [now, regrade, id],
    );
    if (claimed !== 1) return undefined;
    const [g] = await tx.all<{ never_lower: number }>("SELECT never_lower FROM regrades WHERE id = ?", [regrade]);
    // Another regrade of the same submission may finish at once: its result row is locked till commit.
    const [cur] = await tx.all<{ score: number; report: string | null }>(
      `SELECT score, report FROM results WHERE submission_id = ?${sql.dialect === "postgres" ? " FOR UPDATE" : ""}`,
      [id],
    );
    const outcome = regradeOutcome(Boolean(g.never_lower), cur?.score, r.score);
    const report = r.report ? JSON.stringify(r.report) : null;
    if (outcome === "applied") {
      await tx.run(
        `INSERT INTO result_history (submission_id, status, score, max_score, report, error, seconds, graded_at,
               set_version, regrade_id, replaced_at, replaced_by)
             SELECT submission_id, status, score, max_score, report, error, seconds, graded_at, set_version, regrade_id, ?, ?
             FROM results WHERE submission_id = ?`,
        [now, regrade, id],
      );
      await tx.run(
        `UPDATE results SET status = ?, score = ?, max_score = ?, report = ?, error = ?, seconds = ?, graded_at = ?,
               set_version = ?, regrade_id = ? WHERE submission_id = ?`,
        [
          r.status,
          r.score,
          r.maxScore,
          report,
          r.error ?? null,
          r.seconds,
          r.gradedAt,
          r.setVersion ?? null,
          regrade,
          id,
        ],
      );
    }
    await tx.run(
      `UPDATE regrade_items SET outcome = ?, old_score = ?, old_parts = ?, new_score = ?, new_parts = ?
           WHERE regrade_id = ? AND submission_id = ?`,
      [
        outcome,
        cur?.score ?? null,
        cur ? JSON.stringify(partsOf(cur.report)) : null,
        r.score,
        JSON.stringify(partsOf(report)),
        regrade,
        id,
      ],
    );
    return outcome;
  });

async function regradeOf(sql: Sql, ...[id]: Parameters<Regrades["regrade"]>): ReturnType<Regrades["regrade"]> {
  const [g] = await sql.all<{
    id: string;
    section: string;
    which: Which;
    never_lower: number;
    message: string;
    requested_at: number;
  }>("SELECT * FROM regrades WHERE id = ?", [id]);
  if (!g) return undefined;
  const items = await sql.all<ItemRow>(
    `SELECT i.*, s.learner_id, l.email, s.file_name, s.received_at FROM regrade_items i
         JOIN submissions s ON s.id = i.submission_id JOIN learners l ON l.id = s.learner_id
         WHERE i.regrade_id = ? ORDER BY l.email, s.received_at`,
    [id],
  );
  return {
    id: g.id,
    section: g.section,
    which: g.which,
    neverLower: Boolean(g.never_lower),
    message: g.message,
    requestedAt: g.requested_at,
    items: items.map((i): RegradeItem => ({
      submissionId: i.submission_id,
      learnerId: i.learner_id,
      email: i.email,
      fileName: i.file_name,
      receivedAt: i.received_at,
      state: i.state,
      attempts: i.attempts,
      ...(i.outcome ? { outcome: i.outcome } : {}),
      ...(i.old_score !== null ? { old: { score: i.old_score, parts: JSON.parse(i.old_parts!) } } : {}),
      ...(i.new_score !== null ? { new: { score: i.new_score, parts: JSON.parse(i.new_parts!) } } : {}),
      ...(i.failure !== null ? { failure: i.failure } : {}),
    })),
  };
}

/** Items not finished (queued or being graded), oldest regrade first. */
async function unfinishedRegradeItemsOf(sql: Sql): Promise<QueuedRegradeItem[]> {
  return (
    await sql.all<{
      regrade_id: string;
      id: string;
      section: string;
      file_name: string;
      learner_id: string;
      attempts: number;
    }>(
      `SELECT i.regrade_id, s.id, s.section, s.file_name, s.learner_id, i.attempts
           FROM regrade_items i JOIN regrades g ON g.id = i.regrade_id JOIN submissions s ON s.id = i.submission_id
           WHERE i.state IN ('queued', 'grading') ORDER BY g.requested_at, s.received_at, s.id`,
    )
  ).map((r) => ({
    regrade: r.regrade_id,
    id: r.id,
    section: r.section,
    fileName: r.file_name,
    learnerId: r.learner_id,
    attempts: r.attempts,
  }));
}

/** Marks an item as being graded; its attempts counting this one, or undefined when it is finished. */
async function startRegradeItemOf(sql: Sql, regrade: string, id: string): Promise<number | undefined> {
  const started = await sql.run(
    `UPDATE regrade_items SET state = 'grading', attempts = attempts + 1
         WHERE regrade_id = ? AND submission_id = ? AND state IN ('queued', 'grading')`,
    [regrade, id],
  );
  if (started !== 1) return undefined;
  const [r] = await sql.all<{ attempts: number }>(
    "SELECT attempts FROM regrade_items WHERE regrade_id = ? AND submission_id = ?",
    [regrade, id],
  );
  return r.attempts;
}

export function createRegrades(sql: Sql): Regrades {
  return {
    regradeTargets: (r) => regradeTargetsOf(sql, r),
    addRegrade: (id, r, submissionIds, now) =>
      sql.transaction(async (tx) => {
        await tx.run(
          "INSERT INTO regrades (id, section, which, never_lower, message, requested_at) VALUES (?, ?, ?, ?, ?, ?)",
          [id, r.section, r.which, r.neverLower ? 1 : 0, r.message, now],
        );
        for (const s of submissionIds)
          await tx.run("INSERT INTO regrade_items (regrade_id, submission_id, state) VALUES (?, ?, 'queued')", [id, s]);
      }),
    unfinishedRegradeItems: () => unfinishedRegradeItemsOf(sql),
    startRegradeItem: (regrade, id) => startRegradeItemOf(sql, regrade, id),
    finishRegradeItem: (regrade, id, r, now) => finishRegradeItemOf(sql, regrade, id, r, now),
    failRegradeItem: async (regrade, id, why, now) =>
      (await sql.run(
        `UPDATE regrade_items SET state = 'failed', failure = ?, finished_at = ?
         WHERE regrade_id = ? AND submission_id = ? AND state IN ('queued', 'grading')`,
        [why, now, regrade, id],
      )) === 1,
    regrade: (id) => regradeOf(sql, id),
    resultHistory: (submissionId) => resultHistoryOf(sql, submissionId),
  };
}

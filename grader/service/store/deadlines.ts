// The course's calendar as the store keeps it: each section's opening, due and late-window times and
// its late policy, the learners' extensions (every change recorded: who, when, old → new), the
// course-wide bank of slip days, and the graded attempts the policy is applied to. What a policy
// makes of them is computed when read (grader/service/policy), never stored.
import type { Sql } from "./sql";

/** A section's late policy: a penalty per day or hour late (linear, capped), and whether slip days may cover lateness. */
export interface LatePolicy {
  /** Percent of the score taken per `per` late (started units count): 0 for none. */
  percent: number;
  per: "day" | "hour";
  /** The most taken, in percent. */
  capPercent: number;
  /** Days late may be paid from the learner's bank of slip days instead (whole days). */
  slipDays: boolean;
}
export interface Deadline {
  section: string;
  opensAt?: number;
  dueAt?: number;
  /** Submissions are refused after this (after dueAt when absent). */
  lateUntil?: number;
  policy: LatePolicy;
  /** Which submission counts: the best after the policy, or the last. */
  counts: "best" | "last";
}
export const NO_PENALTY: LatePolicy = { percent: 0, per: "day", capPercent: 100, slipDays: false };

export interface Extension {
  learnerId: string;
  section: string;
  dueAt: number;
}
export interface ExtensionChange extends Extension {
  email: string;
  oldDue?: number;
  by: string;
  at: number;
}
/** A graded submission as a policy sees it. */
export interface GradedAttempt {
  id: string;
  learnerId: string;
  section: string;
  receivedAt: number;
  score: number;
  maxScore: number;
}

export interface Deadlines {
  deadlines(): Promise<Record<string, Deadline>>;
  /** Sets a section's deadline and policy, replacing what it had. */
  setDeadline(d: Deadline, now: number): Promise<void>;
  extensions(learnerId?: string): Promise<Extension[]>;
  /** Gives a learner a new due time for a section, recording the change; the due time it replaced. */
  extend(e: Extension, by: string, now: number): Promise<number | undefined>;
  /** Every change of extensions, newest first (one learner's when given). */
  extensionLog(learnerId?: string): Promise<ExtensionChange[]>;
  /** Slip days each learner has for the whole course (0: none). */
  slipDayBank(): Promise<number>;
  setSlipDayBank(days: number): Promise<void>;
  /** Graded submissions (one learner's when given), oldest first. */
  gradedAttempts(learnerId?: string): Promise<GradedAttempt[]>;
}

interface DeadlineRow {
  section: string;
  opens_at: number | null;
  due_at: number | null;
  late_until: number | null;
  penalty_percent: number;
  penalty_per: "day" | "hour";
  penalty_cap: number;
  slip_days: number;
  counts: "best" | "last";
}
const optional = <K extends string>(key: K, v: number | null) =>
  v === null ? {} : ({ [key]: v } as Record<K, number>);
const byLearner = (learnerId: string | undefined, column: string) =>
  learnerId === undefined ? { where: "", params: [] } : { where: `WHERE ${column} = ?`, params: [learnerId] };

/** Deadlines.deadlines. */
async function deadlinesOf(sql: Sql): ReturnType<Deadlines["deadlines"]> {
  const rows = await sql.all<DeadlineRow>("SELECT * FROM section_deadlines");
  return Object.fromEntries(
    rows.map((r) => [
      r.section,
      {
        section: r.section,
        ...optional("opensAt", r.opens_at),
        ...optional("dueAt", r.due_at),
        ...optional("lateUntil", r.late_until),
        policy: {
          percent: r.penalty_percent,
          per: r.penalty_per,
          capPercent: r.penalty_cap,
          slipDays: Boolean(r.slip_days),
        },
        counts: r.counts,
      },
    ]),
  );
}

/** Deadlines.extensionLog. */
async function extensionLogOf(
  sql: Sql,
  ...[learnerId]: Parameters<Deadlines["extensionLog"]>
): ReturnType<Deadlines["extensionLog"]> {
  const { where, params } = byLearner(learnerId, "x.learner_id");
  return (
    await sql.all<{
      learner_id: string;
      email: string;
      section: string;
      old_due: number | null;
      new_due: number;
      by_whom: string;
      at: number;
    }>(
      `SELECT x.*, l.email FROM extension_log x JOIN learners l ON l.id = x.learner_id ${where} ORDER BY x.at DESC`,
      params,
    )
  ).map((r) => ({
    learnerId: r.learner_id,
    email: r.email,
    section: r.section,
    dueAt: r.new_due,
    ...optional("oldDue", r.old_due),
    by: r.by_whom,
    at: r.at,
  }));
}

/** Deadlines.setDeadline. */
async function setDeadlineOf(
  sql: Sql,
  ...[d, now]: Parameters<Deadlines["setDeadline"]>
): ReturnType<Deadlines["setDeadline"]> {
  await sql.run(
    `INSERT INTO section_deadlines (section, opens_at, due_at, late_until, penalty_percent, penalty_per, penalty_cap,
           slip_days, counts, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (section) DO UPDATE SET opens_at = excluded.opens_at, due_at = excluded.due_at,
           late_until = excluded.late_until, penalty_percent = excluded.penalty_percent, penalty_per = excluded.penalty_per,
           penalty_cap = excluded.penalty_cap, slip_days = excluded.slip_days, counts = excluded.counts,
           updated_at = excluded.updated_at`,
    [
      d.section,
      d.opensAt ?? null,
      d.dueAt ?? null,
      d.lateUntil ?? null,
      d.policy.percent,
      d.policy.per,
      d.policy.capPercent,
      d.policy.slipDays ? 1 : 0,
      d.counts,
      now,
    ],
  );
}

export function createDeadlines(sql: Sql): Deadlines {
  return {
    deadlines: () => deadlinesOf(sql),
    setDeadline: (d, now) => setDeadlineOf(sql, d, now),
    async extensions(learnerId) {
      const { where, params } = byLearner(learnerId, "learner_id");
      return (
        await sql.all<{ learner_id: string; section: string; due_at: number }>(
          `SELECT learner_id, section, due_at FROM extensions ${where}`,
          params,
        )
      ).map((r) => ({ learnerId: r.learner_id, section: r.section, dueAt: r.due_at }));
    },
    extend: (e, by, now) =>
      sql.transaction(async (tx) => {
        const [old] = await tx.all<{ due_at: number }>(
          "SELECT due_at FROM extensions WHERE learner_id = ? AND section = ?",
          [e.learnerId, e.section],
        );
        await tx.run(
          `INSERT INTO extensions (learner_id, section, due_at) VALUES (?, ?, ?)
           ON CONFLICT (learner_id, section) DO UPDATE SET due_at = excluded.due_at`,
          [e.learnerId, e.section, e.dueAt],
        );
        await tx.run(
          "INSERT INTO extension_log (learner_id, section, old_due, new_due, by_whom, at) VALUES (?, ?, ?, ?, ?, ?)",
          [e.learnerId, e.section, old?.due_at ?? null, e.dueAt, by, now],
        );
        return old?.due_at;
      }),
    extensionLog: (learnerId) => extensionLogOf(sql, learnerId),
    async slipDayBank() {
      const [r] = await sql.all<{ value: string }>("SELECT value FROM course_settings WHERE name = 'slip_days'");
      return r ? Number(r.value) : 0;
    },
    async setSlipDayBank(days) {
      await sql.run(
        `INSERT INTO course_settings (name, value) VALUES ('slip_days', ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
        [String(days)],
      );
    },
    async gradedAttempts(learnerId) {
      const { where, params } = byLearner(learnerId, "s.learner_id");
      return (
        await sql.all<{
          id: string;
          learner_id: string;
          section: string;
          received_at: number;
          score: number;
          max_score: number;
        }>(
          `SELECT s.id, s.learner_id, s.section, s.received_at, r.score, r.max_score
           FROM submissions s JOIN results r ON r.submission_id = s.id ${where} ORDER BY s.received_at, s.id`,
          params,
        )
      ).map((r) => ({
        id: r.id,
        learnerId: r.learner_id,
        section: r.section,
        receivedAt: r.received_at,
        score: r.score,
        maxScore: r.max_score,
      }));
    },
  };
}

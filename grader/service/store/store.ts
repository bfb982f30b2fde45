// What the grading service keeps: learners (a token hash each), submissions (the notebook's bytes,
// written before the service answers), one result per submission, and the sections closed to
// submissions. One implementation over `Sql` (sql.ts), so SQLite and PostgreSQL run the same
// statements and migrations. A result is stored once: the first `finish` for a submission wins.
import { createLtiStore, type LtiStore } from "./lti";
import type { GradeReport } from "../../pipeline";
import { createLearners, LEARNER, toLearner, type Learner, type Learners, type LearnerRow } from "./learners";
import { migrate } from "./migrations";

export type { Learner };
import { createRetention, type Retention } from "./retention";
import { createDeadlines, type Deadlines } from "./deadlines";
import { createRegrades, type Regrades } from "./regrades";
import { createSectionTimes, type SectionTimes } from "./section-times";
import { createSessions, type Sessions } from "./sessions";
import type { Sql } from "./sql";

export type SubmissionState = "queued" | "grading" | "graded" | "failed";
/** The grade of one submission, as stored: the report the grader wrote, or why there is none. */
export interface StoredResult {
  status: string;
  score: number;
  maxScore: number;
  report?: GradeReport;
  error?: string;
  seconds: number;
  gradedAt: number;
  /** The exercise set's version it was graded against (absent for results stored before versions). */
  setVersion?: string;
  /** Set when a regrade wrote it: which, and the instructor's reason. */
  regraded?: { id: string; message: string };
}
export interface Submission {
  id: string;
  learnerId: string;
  section: string;
  fileName: string;
  receivedAt: number;
  state: SubmissionState;
  startedAt?: number;
  attempts: number;
  /** Why the grader could not grade it (state "failed"). */
  failure?: string;
  result?: StoredResult;
}
export type GradedSubmission = Submission & { result: StoredResult };
export interface NewSubmission {
  id: string;
  learnerId: string;
  section: string;
  fileName: string;
  notebook: Buffer;
  receivedAt: number;
}
/** A learner's best graded submission of one section, with how many they made. */
export interface BestRow {
  learnerId: string;
  email: string;
  name: string;
  section: string;
  /** 0 for an enrolled learner who never submitted this section (then no lastAt and no best). */
  attempts: number;
  lastAt?: number;
  best?: GradedSubmission;
}

export interface Store extends Learners, Sessions, Retention, SectionTimes, Regrades, Deadlines {
  /** What LTI 1.3 keeps (platforms, contexts, members, the scores to send back). */
  lti: LtiStore;
  addSubmission(s: NewSubmission): Promise<void>;
  submission(id: string): Promise<Submission | undefined>;
  notebook(id: string): Promise<Buffer | undefined>;
  /** A learner's submissions, newest first. */
  submissionsOf(learnerId: string): Promise<Submission[]>;
  /**
   * Submissions of a learner received since `since`, the earliest of them, how many of theirs (any
   * time) wait to be graded, and the bytes of their notebooks kept.
   */
  recent(learnerId: string, since: number): Promise<{ count: number; first?: number; pending: number; stored: number }>;
  /** Submissions not graded yet (queued or being graded), oldest first. */
  unfinished(): Promise<Submission[]>;
  /** How many queued submissions were received before this one. */
  ahead(id: string): Promise<number>;
  /** Marks a submission as being graded (one more attempt); false when it is graded or failed already. */
  startGrading(id: string, now: number): Promise<boolean>;
  /** Stores a submission's result unless it has one: true when this call stored it. */
  finish(id: string, r: StoredResult): Promise<boolean>;
  /** The grader could not grade it (after its retries): failed, shown to the instructor. False when it has a result. */
  fail(id: string, why: string): Promise<boolean>;
  /** Submissions per state. */
  counts(): Promise<Record<SubmissionState, number>>;
  /**
   * Per learner and section (every learner of the roster and every one of `sections`, besides any
   * section a learner submitted to): attempts, the last time, and the best graded submission.
   */
  gradebook(sections: string[]): Promise<BestRow[]>;
  /** Grading times (seconds) of the latest results, per section. */
  gradingSeconds(latest: number): Promise<{ section: string; seconds: number }[]>;
  /** Submissions that failed, newest first. */
  failed(): Promise<Submission[]>;
  close(): Promise<void>;
}

interface Row {
  id: string;
  learner_id: string;
  section: string;
  file_name: string;
  received_at: number;
  state: SubmissionState;
  started_at: number | null;
  attempts: number;
  failure: string | null;
  status: string | null;
  score: number | null;
  max_score: number | null;
  report: string | null;
  error: string | null;
  seconds: number | null;
  graded_at: number | null;
  set_version: string | null;
  regrade_id: string | null;
  regrade_message: string | null;
}

const COLUMNS = `s.id, s.learner_id, s.section, s.file_name, s.received_at, s.state, s.started_at, s.attempts, s.failure,
  r.status, r.score, r.max_score, r.report, r.error, r.seconds, r.graded_at, r.set_version, r.regrade_id,
  g.message AS regrade_message`;
/** A result and the regrade that wrote it, if one did. */
const RESULT = "results r ON r.submission_id = s.id LEFT JOIN regrades g ON g.id = r.regrade_id";
const SELECT = `SELECT ${COLUMNS} FROM submissions s LEFT JOIN ${RESULT}`;

function toSubmission(r: Row): Submission {
  return {
    id: r.id,
    learnerId: r.learner_id,
    section: r.section,
    fileName: r.file_name,
    receivedAt: r.received_at,
    state: r.state,
    ...(r.started_at !== null ? { startedAt: r.started_at } : {}),
    attempts: r.attempts,
    ...(r.failure !== null ? { failure: r.failure } : {}),
    ...(r.status !== null
      ? {
          // A result's columns are all set when it has a status (the LEFT JOIN found one).
          result: {
            status: r.status,
            score: r.score!,
            maxScore: r.max_score!,
            ...(r.report ? { report: JSON.parse(r.report) as GradeReport } : {}),
            ...(r.error ? { error: r.error } : {}),
            seconds: r.seconds!,
            gradedAt: r.graded_at!,
            ...(r.set_version ? { setVersion: r.set_version } : {}),
            ...(r.regrade_id ? { regraded: { id: r.regrade_id, message: r.regrade_message ?? "" } } : {}),
          },
        }
      : {}),
  };
}

/** The best graded submission of each learner and section: the best score counts; between equal scores, the earlier submission. */
const bestGraded = async (sql: Sql): Promise<GradedSubmission[]> =>
  (
    await sql.all<Row>(
      `SELECT * FROM (SELECT ${COLUMNS}, ROW_NUMBER() OVER (PARTITION BY s.learner_id, s.section
         ORDER BY r.score DESC, s.received_at ASC, s.id ASC) AS place
       FROM submissions s JOIN ${RESULT}) ranked WHERE place = 1`,
    )
  ).map((r) => toSubmission(r) as GradedSubmission);

/** Store.gradebook: every learner and section (enrolled or submitted), attempts, the last time, the best. */
async function gradebookOf(sql: Sql, sections: string[]): Promise<BestRow[]> {
  const learners = new Map((await sql.all<LearnerRow>(LEARNER)).map((l) => [l.id, toLearner(l)]));
  const tally = await sql.all<{
    learner_id: string;
    section: string;
    attempts: number;
    last_at: number;
  }>(
    "SELECT learner_id, section, COUNT(*) AS attempts, MAX(received_at) AS last_at FROM submissions GROUP BY learner_id, section",
  );
  const bestOf = new Map((await bestGraded(sql)).map((b) => [`${b.learnerId}\u0000${b.section}`, b]));
  const tallyOf = new Map(tally.map((t) => [`${t.learner_id}\u0000${t.section}`, t]));
  const keys = new Set([
    ...[...learners.keys()].flatMap((id) => sections.map((s) => `${id}\u0000${s}`)),
    ...tallyOf.keys(),
  ]);
  return [...keys]
    .map((k): BestRow => {
      const [learnerId, section] = k.split("\u0000");
      const l = learners.get(learnerId)!,
        t = tallyOf.get(k),
        b = bestOf.get(k);
      return {
        learnerId,
        email: l.email,
        name: l.name,
        section,
        attempts: t?.attempts ?? 0,
        ...(t ? { lastAt: t.last_at } : {}),
        ...(b ? { best: b } : {}),
      };
    })
    .sort((a, b) => a.email.localeCompare(b.email) || a.section.localeCompare(b.section));
}

/** Store.recent: a learner's submissions since a time, the first of them, those pending, the bytes kept. */
async function recentOf(sql: Sql, learnerId: string, since: number): ReturnType<Store["recent"]> {
  const [r] = await sql.all<{ count: number; first: number | null; pending: number; stored: number | null }>(
    `SELECT COUNT(CASE WHEN received_at >= ? THEN 1 END) AS count, MIN(CASE WHEN received_at >= ? THEN received_at END) AS first,
         COUNT(CASE WHEN state IN ('queued', 'grading') THEN 1 END) AS pending, SUM(length(notebook)) AS stored
         FROM submissions WHERE learner_id = ?`,
    [since, since, learnerId],
  );
  return {
    count: r.count,
    pending: r.pending,
    stored: Number(r.stored ?? 0),
    ...(r.first !== null ? { first: r.first } : {}),
  };
}

/** Store.finish: the result stored (the first one wins) and the submission marked graded, in one transaction. */
const finishGrading = (sql: Sql, id: string, r: StoredResult): Promise<boolean> =>
  sql.transaction(async (tx) => {
    const stored = await tx.run(
      `INSERT INTO results (submission_id, status, score, max_score, report, error, seconds, graded_at, set_version)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (submission_id) DO NOTHING`,
      [
        id,
        r.status,
        r.score,
        r.maxScore,
        r.report ? JSON.stringify(r.report) : null,
        r.error ?? null,
        r.seconds,
        r.gradedAt,
        r.setVersion ?? null,
      ],
    );
    await tx.run("UPDATE submissions SET state = 'graded', failure = NULL WHERE id = ?", [id]);
    return stored === 1;
  });

export async function createStore(sql: Sql): Promise<Store> {
  await migrate(sql);
  const one = async (id: string) => {
    const [r] = await sql.all<Row>(`${SELECT} WHERE s.id = ?`, [id]);
    return r && toSubmission(r);
  };
  return {
    ...createLearners(sql),
    lti: createLtiStore(sql),
    async addSubmission(s) {
      await sql.run(
        `INSERT INTO submissions (id, learner_id, section, file_name, notebook, received_at, state)
         VALUES (?, ?, ?, ?, ?, ?, 'queued')`,
        [s.id, s.learnerId, s.section, s.fileName, s.notebook, s.receivedAt],
      );
    },
    submission: (id) => one(id),
    async notebook(id) {
      const [r] = await sql.all<{ notebook: Buffer }>("SELECT notebook FROM submissions WHERE id = ?", [id]);
      return r && Buffer.from(r.notebook);
    },
    submissionsOf: async (learnerId) =>
      (await sql.all<Row>(`${SELECT} WHERE s.learner_id = ? ORDER BY s.received_at DESC, s.id DESC`, [learnerId])).map(
        toSubmission,
      ),
    recent: (learnerId, since) => recentOf(sql, learnerId, since),
    unfinished: async () =>
      (await sql.all<Row>(`${SELECT} WHERE s.state IN ('queued', 'grading') ORDER BY s.received_at, s.id`)).map(
        toSubmission,
      ),
    async ahead(id) {
      const [r] = await sql.all<{ n: number }>(
        `SELECT COUNT(*) AS n FROM submissions q, submissions s WHERE s.id = ? AND q.state = 'queued'
         AND (q.received_at < s.received_at OR (q.received_at = s.received_at AND q.id < s.id))`,
        [id],
      );
      return r?.n ?? 0;
    },
    startGrading: async (id, now) =>
      (await sql.run(
        "UPDATE submissions SET state = 'grading', started_at = ?, attempts = attempts + 1 WHERE id = ? AND state IN ('queued', 'grading')",
        [now, id],
      )) === 1,
    finish: (id, r) => finishGrading(sql, id, r),
    fail: async (id, why) =>
      (await sql.run("UPDATE submissions SET state = 'failed', failure = ? WHERE id = ? AND state <> 'graded'", [
        why,
        id,
      ])) === 1,
    async counts() {
      const rows = await sql.all<{ state: SubmissionState; n: number }>(
        "SELECT state, COUNT(*) AS n FROM submissions GROUP BY state",
      );
      const c: Record<SubmissionState, number> = { queued: 0, grading: 0, graded: 0, failed: 0 };
      for (const r of rows) c[r.state] = r.n;
      return c;
    },
    gradebook: (sections) => gradebookOf(sql, sections),
    gradingSeconds: async (latest) =>
      await sql.all<{ section: string; seconds: number }>(
        "SELECT s.section, r.seconds FROM results r JOIN submissions s ON s.id = r.submission_id ORDER BY r.graded_at DESC LIMIT ?",
        [latest],
      ),
    failed: async () =>
      (await sql.all<Row>(`${SELECT} WHERE s.state = 'failed' ORDER BY s.received_at DESC`)).map(toSubmission),
    ...createSectionTimes(sql),
    ...createSessions(sql),
    ...createRetention(sql),
    ...createRegrades(sql),
    ...createDeadlines(sql),
    close: () => sql.close(),
  };
}

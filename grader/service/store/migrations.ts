// The service's schema, as numbered migrations applied in order, each once, recorded in the table
// `migrations`. Written in the SQL that SQLite and PostgreSQL share (BYTEA and DOUBLE PRECISION are
// type names SQLite accepts), so both stores apply the same list. Times are milliseconds since the
// epoch; submission ids are random strings.
import type { Sql, SqlRunner } from "./sql";
export const MIGRATIONS: string[] = [
  // 1: learners, their submissions (the notebook's bytes kept), and each submission's one result.
  //    A submission is queued, being graded, graded (it has its result), or failed: the grader itself
  //    could not grade it after its retries (not the learner's doing), shown to the instructor.
  `CREATE TABLE learners (
     id TEXT PRIMARY KEY,
     email TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     token_hash TEXT NOT NULL,
     created_at BIGINT NOT NULL
   );
   CREATE TABLE submissions (
     id TEXT PRIMARY KEY,
     learner_id TEXT NOT NULL REFERENCES learners(id),
     section TEXT NOT NULL,
     file_name TEXT NOT NULL,
     notebook BYTEA NOT NULL,
     received_at BIGINT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('queued', 'grading', 'graded', 'failed')),
     started_at BIGINT,
     attempts INTEGER NOT NULL DEFAULT 0,
     failure TEXT
   );
   CREATE INDEX submissions_by_learner ON submissions (learner_id, received_at);
   CREATE INDEX submissions_by_state ON submissions (state, received_at);
   CREATE TABLE results (
     submission_id TEXT PRIMARY KEY REFERENCES submissions(id),
     status TEXT NOT NULL,
     score DOUBLE PRECISION NOT NULL,
     max_score DOUBLE PRECISION NOT NULL,
     report TEXT,
     error TEXT,
     seconds DOUBLE PRECISION NOT NULL,
     graded_at BIGINT NOT NULL
   );`,
  // 2: sections the instructor closed to submissions (open unless listed here).
  `CREATE TABLE closed_sections (
     section TEXT PRIMARY KEY,
     closed_at BIGINT NOT NULL
   );`,
  // 3: the pages' sessions (sessions.ts): the hash of each random id, whose it is (no learner: the
  //    instructor's), a tag of the credential it was opened with, and when it ends.
  `CREATE TABLE sessions (
     id_hash TEXT PRIMARY KEY,
     learner_id TEXT REFERENCES learners(id),
     tag TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     expires_at BIGINT NOT NULL
   );
   CREATE INDEX sessions_by_expiry ON sessions (expires_at);`,
  // 4: the version of the exercise set each result was graded against (grader/sections/version.ts);
  //    results stored before it have none.
  `ALTER TABLE results ADD COLUMN set_version TEXT;`,
  // 5: regrades (regrades.ts). A regrade asks for some graded submissions of a section to be graded
  //    again (one item each, queued like a submission); a new result replaces the current one (which
  //    moves to result_history, never deleted) unless it is lower and the regrade keeps scores from
  //    falling (never_lower). `results.regrade_id` names the regrade that wrote the current result.
  `CREATE TABLE regrades (
     id TEXT PRIMARY KEY,
     section TEXT NOT NULL,
     which TEXT NOT NULL CHECK (which IN ('best', 'last', 'all')),
     never_lower INTEGER NOT NULL,
     message TEXT NOT NULL,
     requested_at BIGINT NOT NULL
   );
   CREATE TABLE regrade_items (
     regrade_id TEXT NOT NULL REFERENCES regrades(id),
     submission_id TEXT NOT NULL REFERENCES submissions(id),
     state TEXT NOT NULL CHECK (state IN ('queued', 'grading', 'done', 'failed')),
     attempts INTEGER NOT NULL DEFAULT 0,
     outcome TEXT CHECK (outcome IN ('applied', 'kept')),
     old_score DOUBLE PRECISION,
     old_parts TEXT,
     new_score DOUBLE PRECISION,
     new_parts TEXT,
     failure TEXT,
     finished_at BIGINT,
     PRIMARY KEY (regrade_id, submission_id)
   );
   CREATE INDEX regrade_items_by_state ON regrade_items (state);
   CREATE TABLE result_history (
     submission_id TEXT NOT NULL REFERENCES submissions(id),
     status TEXT NOT NULL,
     score DOUBLE PRECISION NOT NULL,
     max_score DOUBLE PRECISION NOT NULL,
     report TEXT,
     error TEXT,
     seconds DOUBLE PRECISION NOT NULL,
     graded_at BIGINT NOT NULL,
     set_version TEXT,
     regrade_id TEXT,
     replaced_at BIGINT NOT NULL,
     replaced_by TEXT NOT NULL REFERENCES regrades(id)
   );
   CREATE INDEX result_history_by_submission ON result_history (submission_id);
   ALTER TABLE results ADD COLUMN regrade_id TEXT REFERENCES regrades(id);`,
  // 6: deadlines and late policies per section (deadlines.ts), learners' extensions with every change
  //    recorded, and course-wide settings (the bank of slip days). Scores after a policy are computed
  //    when read (grader/service/policy), never stored: an extension or a policy change applies at once.
  `CREATE TABLE section_deadlines (
     section TEXT PRIMARY KEY,
     opens_at BIGINT,
     due_at BIGINT,
     late_until BIGINT,
     penalty_percent DOUBLE PRECISION NOT NULL DEFAULT 0,
     penalty_per TEXT NOT NULL DEFAULT 'day' CHECK (penalty_per IN ('day', 'hour')),
     penalty_cap DOUBLE PRECISION NOT NULL DEFAULT 100,
     slip_days INTEGER NOT NULL DEFAULT 0,
     counts TEXT NOT NULL DEFAULT 'best' CHECK (counts IN ('best', 'last')),
     updated_at BIGINT NOT NULL
   );
   CREATE TABLE extensions (
     learner_id TEXT NOT NULL REFERENCES learners(id),
     section TEXT NOT NULL,
     due_at BIGINT NOT NULL,
     PRIMARY KEY (learner_id, section)
   );
   CREATE TABLE extension_log (
     learner_id TEXT NOT NULL REFERENCES learners(id),
     section TEXT NOT NULL,
     old_due BIGINT,
     new_due BIGINT NOT NULL,
     by_whom TEXT NOT NULL,
     at BIGINT NOT NULL
   );
   CREATE TABLE course_settings (
     name TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );`,
  // 7: LTI 1.3 (lti.ts): the platforms registered (an LMS's issuer and client id, its deployments and
  //    endpoints); each course (context) of a platform the tool was launched from, with its roster
  //    (NRPS) and grades (AGS) endpoints; each platform user seen there and the learner they are;
  //    the learners LTI made (their token shown on a launch page, or not yet: shown_at NULL);
  //    nonces of launches already accepted; one line item per context and section; and the scores to
  //    send back, each with what was last sent and the state of its sending.
  `CREATE TABLE lti_platforms (
     id TEXT PRIMARY KEY,
     issuer TEXT NOT NULL,
     client_id TEXT NOT NULL,
     deployment_ids TEXT NOT NULL,
     auth_url TEXT NOT NULL,
     token_url TEXT NOT NULL,
     jwks_url TEXT NOT NULL,
     added_at BIGINT NOT NULL,
     UNIQUE (issuer, client_id)
   );
   CREATE TABLE lti_contexts (
     platform_id TEXT NOT NULL REFERENCES lti_platforms(id),
     context_id TEXT NOT NULL,
     deployment_id TEXT NOT NULL,
     title TEXT NOT NULL,
     memberships_url TEXT,
     lineitems_url TEXT,
     ags_scopes TEXT NOT NULL,
     updated_at BIGINT NOT NULL,
     PRIMARY KEY (platform_id, context_id)
   );
   CREATE TABLE lti_members (
     platform_id TEXT NOT NULL REFERENCES lti_platforms(id),
     context_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     learner_id TEXT REFERENCES learners(id),
     role TEXT NOT NULL CHECK (role IN ('learner', 'instructor')),
     email TEXT NOT NULL,
     name TEXT NOT NULL,
     updated_at BIGINT NOT NULL,
     PRIMARY KEY (platform_id, context_id, user_id)
   );
   CREATE TABLE lti_tokens_shown (
     learner_id TEXT PRIMARY KEY REFERENCES learners(id),
     shown_at BIGINT
   );
   CREATE TABLE lti_nonces (
     nonce TEXT PRIMARY KEY,
     expires_at BIGINT NOT NULL
   );
   CREATE TABLE lti_line_items (
     platform_id TEXT NOT NULL REFERENCES lti_platforms(id),
     context_id TEXT NOT NULL,
     section TEXT NOT NULL,
     url TEXT NOT NULL,
     PRIMARY KEY (platform_id, context_id, section)
   );
   CREATE TABLE lti_scores (
     platform_id TEXT NOT NULL REFERENCES lti_platforms(id),
     context_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     section TEXT NOT NULL,
     learner_id TEXT NOT NULL REFERENCES learners(id),
     score DOUBLE PRECISION NOT NULL,
     max_score DOUBLE PRECISION NOT NULL,
     changed_at BIGINT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_at BIGINT NOT NULL DEFAULT 0,
     claimed_until BIGINT NOT NULL DEFAULT 0,
     sent_score DOUBLE PRECISION,
     sent_at BIGINT,
     error TEXT,
     PRIMARY KEY (platform_id, context_id, user_id, section)
   );
   CREATE INDEX lti_scores_due ON lti_scores (state, next_at);`,
];

/** The bookkeeping table both stores keep: one row per migration applied. */
export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`;

function newerSchema(applied: number): Error {
  return new Error(
    `the service's database has ${applied} migrations applied but this version knows ${MIGRATIONS.length}: it was written by a newer version of the course kit`,
  );
}

/** Applies the migrations not yet applied, each in its own transaction; how many ran. */
export async function migrate(sql: Sql): Promise<number> {
  // NOTE: several servers may start at once on one PostgreSQL database: each migration runs under a
  // transaction-scoped advisory lock and checks, holding it, whether another server applied it.
  const lock = (tx: SqlRunner) =>
    sql.dialect === "postgres" ? tx.all("SELECT pg_advisory_xact_lock(7242001)") : Promise.resolve([]);
  await sql.transaction(async (tx) => {
    await lock(tx);
    await tx.run(MIGRATIONS_TABLE);
  });
  const version = async (tx: SqlRunner) =>
    (await tx.all<{ n: number | null }>("SELECT MAX(version) AS n FROM migrations"))[0].n ?? 0;
  const before = await version(sql);
  if (before > MIGRATIONS.length) throw newerSchema(before);
  let ran = 0;
  for (let i = before; i < MIGRATIONS.length; i++)
    await sql.transaction(async (tx) => {
      await lock(tx);
      if ((await version(tx)) > i) return;
      for (const statement of MIGRATIONS[i].split(";").filter((st) => st.trim())) await tx.run(statement);
      await tx.run("INSERT INTO migrations (version, applied_at) VALUES (?, ?)", [i + 1, Date.now()]);
      ran++;
    });
  return ran;
}

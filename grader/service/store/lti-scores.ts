// The outbox of LTI scores to send back: the row is the job — its desired score, what was sent, the
// state of the sending (pending, sent, failed), its attempts and when it may be tried next. A server
// claims a due row for a while before sending it, so servers sharing one database send it once.
import type { Sql } from "./sql";

/** A score to send for one learner and section to one context. */
export interface ScoreKey {
  platformId: string;
  contextId: string;
  userId: string;
  section: string;
}
export interface OutgoingScore extends ScoreKey {
  learnerId: string;
  score: number;
  maxScore: number;
  /** When this score became the one to send (the Score's timestamp). */
  changedAt: number;
  state: "pending" | "sent" | "failed";
  attempts: number;
  nextAt: number;
  sentScore?: number;
  sentAt?: number;
  error?: string;
}

export interface ScoreOutbox {
  /** The score that should be on the platform: a new or changed one becomes pending; true when it changed. */
  wantScore(k: ScoreKey, s: { learnerId: string; score: number; maxScore: number }, now: number): Promise<boolean>;
  /** Pending scores due by `now`, each claimed for `leaseMs` (another server skips them meanwhile). */
  claimDue(now: number, leaseMs: number, limit: number): Promise<OutgoingScore[]>;
  /** Sent: unless the score changed after `changedAt` was claimed (then it stays pending). */
  markSent(k: ScoreKey, changedAt: number, now: number): Promise<void>;
  /** Not sent: tried again at `nextAt` (pending), or not until the score changes (`failed`). */
  markUnsent(k: ScoreKey, changedAt: number, why: string, nextAt: number, failed: boolean): Promise<void>;
  scores(): Promise<OutgoingScore[]>;
}

interface ScoreRow {
  platform_id: string;
  context_id: string;
  user_id: string;
  section: string;
  learner_id: string;
  score: number;
  max_score: number;
  changed_at: number;
  state: OutgoingScore["state"];
  attempts: number;
  next_at: number;
  sent_score: number | null;
  sent_at: number | null;
  error: string | null;
}
const toScore = (r: ScoreRow): OutgoingScore => ({
  platformId: r.platform_id,
  contextId: r.context_id,
  userId: r.user_id,
  section: r.section,
  learnerId: r.learner_id,
  score: r.score,
  maxScore: r.max_score,
  changedAt: r.changed_at,
  state: r.state,
  attempts: r.attempts,
  nextAt: r.next_at,
  ...(r.sent_score !== null ? { sentScore: r.sent_score } : {}),
  ...(r.sent_at !== null ? { sentAt: r.sent_at } : {}),
  ...(r.error !== null ? { error: r.error } : {}),
});
const KEY = "platform_id = ? AND context_id = ? AND user_id = ? AND section = ?";
const keyOf = (k: ScoreKey) => [k.platformId, k.contextId, k.userId, k.section];

export function createScoreOutbox(sql: Sql): ScoreOutbox {
  return {
    wantScore: (k, s, now) => wantScoreOf(sql, k, s, now),
    claimDue: (now, leaseMs, limit) => claimDueOf(sql, now, leaseMs, limit),
    markSent: (k, changedAt, now) =>
      sql
        .run(
          `UPDATE lti_scores SET state = 'sent', sent_score = score, sent_at = ?, error = NULL, attempts = 0, claimed_until = 0
           WHERE ${KEY} AND changed_at = ?`,
          [now, ...keyOf(k), changedAt],
        )
        .then(() => undefined),
    markUnsent: (k, changedAt, why, nextAt, failed) =>
      sql
        .run(
          `UPDATE lti_scores SET state = ?, error = ?, next_at = ?, attempts = attempts + 1, claimed_until = 0
           WHERE ${KEY} AND changed_at = ?`,
          [failed ? "failed" : "pending", why, nextAt, ...keyOf(k), changedAt],
        )
        .then(() => undefined),
    scores: async () =>
      (await sql.all<ScoreRow>("SELECT * FROM lti_scores ORDER BY section, platform_id, context_id, user_id")).map(
        toScore,
      ),
  };
}

async function wantScoreOf(
  sql: Sql,
  k: ScoreKey,
  s: { learnerId: string; score: number; maxScore: number },
  now: number,
): Promise<boolean> {
  const [old] = await sql.all<ScoreRow>(`SELECT * FROM lti_scores WHERE ${KEY}`, keyOf(k));
  if (old && old.score === s.score && old.max_score === s.maxScore) return false;
  // NOTE: a score's timestamp must grow: the platform keeps the latest by timestamp, not by arrival.
  const changedAt = Math.max(now, (old?.changed_at ?? 0) + 1);
  await sql.run(
    `INSERT INTO lti_scores (platform_id, context_id, user_id, section, learner_id, score, max_score, changed_at, state, attempts, next_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, 0)
     ON CONFLICT (platform_id, context_id, user_id, section) DO UPDATE SET learner_id = excluded.learner_id,
       score = excluded.score, max_score = excluded.max_score, changed_at = excluded.changed_at,
       state = 'pending', attempts = 0, next_at = 0, error = NULL`,
    [...keyOf(k), s.learnerId, s.score, s.maxScore, changedAt],
  );
  return true;
}

async function claimDueOf(sql: Sql, now: number, leaseMs: number, limit: number): Promise<OutgoingScore[]> {
  const due = await sql.all<ScoreRow>(
    `SELECT * FROM lti_scores WHERE state = 'pending' AND next_at <= ? AND claimed_until < ? ORDER BY next_at, changed_at LIMIT ?`,
    [now, now, limit],
  );
  const claimed: OutgoingScore[] = [];
  for (const r of due) {
    const k = toScore(r);
    const got = await sql.run(
      `UPDATE lti_scores SET claimed_until = ? WHERE ${KEY} AND claimed_until < ? AND changed_at = ?`,
      [now + leaseMs, ...keyOf(k), now, r.changed_at],
    );
    if (got === 1) claimed.push(k);
  }
  return claimed;
}

// A submission's earlier results: what a regrade replaced (result_history), kept for the instructor.
import type { StoredResult } from "./store";
import type { Sql } from "./sql";

/** A result a regrade replaced. */
export type PastResult = StoredResult & { replacedAt: number; replacedBy: string };

/** The results a submission had before its current one, oldest first. */
export async function resultHistoryOf(sql: Sql, submissionId: string): Promise<PastResult[]> {
  return (
    await sql.all<{
      status: string;
      score: number;
      max_score: number;
      report: string | null;
      error: string | null;
      seconds: number;
      graded_at: number;
      set_version: string | null;
      replaced_at: number;
      replaced_by: string;
    }>("SELECT * FROM result_history WHERE submission_id = ? ORDER BY replaced_at, graded_at", [submissionId])
  ).map((h) => ({
    status: h.status,
    score: h.score,
    maxScore: h.max_score,
    ...(h.report ? { report: JSON.parse(h.report) } : {}),
    ...(h.error ? { error: h.error } : {}),
    seconds: h.seconds,
    gradedAt: h.graded_at,
    ...(h.set_version ? { setVersion: h.set_version } : {}),
    replacedAt: h.replaced_at,
    replacedBy: h.replaced_by,
  }));
}

// What is kept of old submissions: every result, always; the notebook's bytes of a learner's graded
// submissions of a section only for their best one and their last `keep` (the instructor's
// --keep-notebooks). A notebook dropped this way answers 410 when the instructor asks for it.
import type { SqlRunner } from "./sql";

export interface Retention {
  /** Empties the notebooks of a learner's finished submissions of a section but the best and the last `keep`; how many. */
  pruneNotebooks(learnerId: string, section: string, keep: number): Promise<number>;
}

export function createRetention(sql: SqlRunner): Retention {
  return {
    pruneNotebooks: (learnerId, section, keep) =>
      sql.run(
        `UPDATE submissions SET notebook = ?
         WHERE learner_id = ? AND section = ? AND state IN ('graded', 'failed') AND length(notebook) > 0
           AND id NOT IN (SELECT id FROM submissions WHERE learner_id = ? AND section = ?
                          ORDER BY received_at DESC, id DESC LIMIT ?)
           AND id NOT IN (SELECT s.id FROM submissions s JOIN results r ON r.submission_id = s.id
                          WHERE s.learner_id = ? AND s.section = ?
                          ORDER BY r.score DESC, s.received_at ASC, s.id ASC LIMIT 1)`,
        [Buffer.alloc(0), learnerId, section, learnerId, section, keep, learnerId, section],
      ),
  };
}

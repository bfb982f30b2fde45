// The class list as the store keeps it: each learner's id, email, name and token hash.
import { randomBytes } from "crypto";
import type { SqlRunner } from "./sql";

export interface Learner {
  id: string;
  email: string;
  name: string;
  tokenHash: string;
}

export interface Learners {
  /** Adds a learner, or replaces the name and token of one already there (by email). */
  putLearner(l: { email: string; name: string; tokenHash: string }, now: number): Promise<Learner>;
  learnerByEmail(email: string): Promise<Learner | undefined>;
  learnerById(id: string): Promise<Learner | undefined>;
  learners(): Promise<Learner[]>;
}

export interface LearnerRow {
  id: string;
  email: string;
  name: string;
  token_hash: string;
}
export const LEARNER = "SELECT id, email, name, token_hash FROM learners";
export const toLearner = (r: LearnerRow): Learner => ({
  id: r.id,
  email: r.email,
  name: r.name,
  tokenHash: r.token_hash,
});

export function createLearners(sql: SqlRunner): Learners {
  const learnerBy = async (column: "email" | "id", value: string) => {
    const [r] = await sql.all<LearnerRow>(`${LEARNER} WHERE ${column} = ?`, [value]);
    return r && toLearner(r);
  };
  return {
    async putLearner(l, now) {
      await sql.run(
        `INSERT INTO learners (id, email, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (email) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash`,
        [`l_${randomBytes(9).toString("base64url")}`, l.email, l.name, l.tokenHash, now],
      );
      return (await learnerBy("email", l.email))!;
    },
    learnerByEmail: (email) => learnerBy("email", email),
    learnerById: (id) => learnerBy("id", id),
    learners: async () => (await sql.all<LearnerRow>(`${LEARNER} ORDER BY email`)).map(toLearner),
  };
}

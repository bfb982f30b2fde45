// Server-side sessions of the pages: the cookie carries only a random id; the store keeps its hash
// (a copy of the database signs nobody in), whose session it is, a tag of the credential it was
// opened with (a learner's token hash, or the instructor key: rotating either ends it) and its expiry.
// Signing out deletes the row, so a copied cookie dies with it.
import { createHash, randomBytes } from "crypto";
import type { SqlRunner } from "./sql";

export interface SessionRow {
  /** The learner's id; undefined for the instructor's session. */
  learnerId?: string;
  /** A tag of the credential the session was opened with. */
  tag: string;
}

export interface Sessions {
  /** Opens a session until `expiresAt` and returns its id (for the cookie only: the store keeps its hash). */
  openSession(s: SessionRow & { now: number; expiresAt: number }): Promise<string>;
  /** The session with this id, unless it expired or was ended. */
  session(id: string, now: number): Promise<SessionRow | undefined>;
  /** Ends a session (sign-out); an unknown id does nothing. */
  endSession(id: string): Promise<void>;
}

const hashOf = (id: string) => createHash("sha256").update(`session:${id}`).digest("hex");

export function createSessions(sql: SqlRunner): Sessions {
  return {
    async openSession(s) {
      await sql.run("DELETE FROM sessions WHERE expires_at < ?", [s.now]);
      const id = randomBytes(32).toString("base64url");
      await sql.run("INSERT INTO sessions (id_hash, learner_id, tag, created_at, expires_at) VALUES (?, ?, ?, ?, ?)", [
        hashOf(id),
        s.learnerId ?? null,
        s.tag,
        s.now,
        s.expiresAt,
      ]);
      return id;
    },
    async session(id, now) {
      const [r] = await sql.all<{ learner_id: string | null; tag: string }>(
        "SELECT learner_id, tag FROM sessions WHERE id_hash = ? AND expires_at >= ?",
        [hashOf(id), now],
      );
      return r && { ...(r.learner_id !== null ? { learnerId: r.learner_id } : {}), tag: r.tag };
    },
    async endSession(id) {
      await sql.run("DELETE FROM sessions WHERE id_hash = ?", [hashOf(id)]);
    },
  };
}

// When sections take submissions: a section is open unless it has a close time that has come
// (closed by hand now, or by a deadline set ahead: `course section close S --at TIME`).
import type { SqlRunner } from "./sql";

/** Whether a section is closed at `now`, by the close times sectionCloses() read (closed by hand, or its time has come). */
export const isClosed = (closes: Record<string, number>, section: string, now: number): boolean =>
  closes[section] !== undefined && closes[section] <= now;

export interface SectionTimes {
  /** Each section with a close time, past or to come (ms). */
  sectionCloses(): Promise<Record<string, number>>;
  /** Opens a section (its close time dropped), or closes it now (keeping an earlier close time). */
  setSectionOpen(section: string, open: boolean, now: number): Promise<void>;
  /** Sets a section's close time, past or to come, replacing the one it had. */
  closeSectionAt(section: string, at: number): Promise<void>;
}

export function createSectionTimes(sql: SqlRunner): SectionTimes {
  return {
    sectionCloses: async () =>
      Object.fromEntries(
        (await sql.all<{ section: string; closed_at: number }>("SELECT section, closed_at FROM closed_sections")).map(
          (r) => [r.section, r.closed_at],
        ),
      ),
    async closeSectionAt(section, at) {
      await sql.run(
        `INSERT INTO closed_sections (section, closed_at) VALUES (?, ?)
         ON CONFLICT (section) DO UPDATE SET closed_at = excluded.closed_at`,
        [section, at],
      );
    },
    async setSectionOpen(section, open, now) {
      if (open) await sql.run("DELETE FROM closed_sections WHERE section = ?", [section]);
      else
        await sql.run(
          `INSERT INTO closed_sections (section, closed_at) VALUES (?, ?)
           ON CONFLICT (section) DO UPDATE SET closed_at = CASE WHEN closed_sections.closed_at < excluded.closed_at
             THEN closed_sections.closed_at ELSE excluded.closed_at END`,
          [section, now],
        );
    },
  };
}

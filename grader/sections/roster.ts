// A class list as an instructor writes it: CSV with a header holding `email` (and `name`), one learner
// per row. The service imports it (tokens), and variants are drawn from the same emails.
import { parse } from "csv-parse/sync";
import { InputError } from "./errors";

const EMAIL = /^[^\s@<>"',;]+@[^\s@<>"',;]+\.[^\s@<>"',;]+$/;
/** Emails are compared as written by the instructor, without case or surrounding spaces. */
export const normalEmail = (email: string): string => email.trim().toLowerCase();

/** The roster's rows: a header with `email` and `name`, one learner per row, each email valid and once. */
export function parseRoster(csv: string): { email: string; name: string }[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(csv, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      bom: true,
      trim: true,
    });
  } catch (e) {
    throw new InputError(`roster: not a CSV file (${(e as Error).message})`);
  }
  if (rows.length === 0)
    throw new InputError("roster: no learners (expected a header `email,name` and one row per learner)");
  if (!("email" in rows[0])) throw new InputError("roster: no `email` column (expected a header `email,name`)");
  const seen = new Set<string>();
  return rows.map((r, i) => {
    const email = normalEmail(r.email ?? "");
    if (!EMAIL.test(email)) throw new InputError(`roster: row ${i + 2}: "${email}" is not an email address`);
    if (seen.has(email)) throw new InputError(`roster: row ${i + 2}: ${email} appears twice`);
    seen.add(email);
    return { email, name: (r.name ?? "").slice(0, 200) };
  });
}

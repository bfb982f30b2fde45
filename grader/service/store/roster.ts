// The class list: `course roster import learners.csv` (columns email, name) gives each new learner
// a token, `course roster rotate EMAIL` replaces one. Tokens are printed once, as CSV for a mail merge.
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { InputError } from "../../pipeline";
import type { Store } from "./store";
import { hashToken, newToken } from "./tokens";

export interface Issued {
  email: string;
  name: string;
  token: string;
}

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

/** Adds the roster's learners; those already there keep their token unless `rotate` is set. */
export async function importRoster(
  store: Store,
  csv: string,
  now: number,
  o: { rotate?: boolean } = {},
): Promise<{ issued: Issued[]; kept: string[] }> {
  const issued: Issued[] = [],
    kept: string[] = [];
  for (const { email, name } of parseRoster(csv)) {
    const existing = await store.learnerByEmail(email);
    if (existing && !o.rotate) {
      kept.push(email);
      if (existing.name !== name && name) await store.putLearner({ email, name, tokenHash: existing.tokenHash }, now);
      continue;
    }
    const token = newToken();
    await store.putLearner({ email, name, tokenHash: hashToken(token) }, now);
    issued.push({ email, name, token });
  }
  return { issued, kept };
}

/** A new token for one learner; the old one stops working at once. */
export async function rotateToken(store: Store, email: string, now: number): Promise<Issued> {
  const l = await store.learnerByEmail(normalEmail(email));
  if (!l) throw new InputError(`roster: no learner ${normalEmail(email)} (import them first)`);
  const token = newToken();
  await store.putLearner({ email: l.email, name: l.name, tokenHash: hashToken(token) }, now);
  return { email: l.email, name: l.name, token };
}

/** Tokens as CSV for a mail merge (formulas neutralised: names come from the roster). */
export const issuedCsv = (issued: Issued[]): string =>
  stringify([["email", "name", "token"], ...issued.map((i) => [i.email, i.name, i.token])], { escape_formulas: true });

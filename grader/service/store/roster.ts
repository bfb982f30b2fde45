// The class list: `course roster import learners.csv` (columns email, name) gives each new learner
// a token, `course roster rotate EMAIL` replaces one. Tokens are printed once, as CSV for a mail merge.
import { stringify } from "csv-stringify/sync";
import { InputError, normalEmail, parseRoster } from "../../sections";
import type { Store } from "./store";
import { hashToken, newToken } from "./tokens";

export { normalEmail };

export interface Issued {
  email: string;
  name: string;
  token: string;
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

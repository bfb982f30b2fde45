// Learner tokens and the instructor key: random, shown once, stored only as a hash, compared in
// constant time. A token has 190 bits of randomness, so a fast hash (SHA-256) is enough: there is
// nothing to guess from it, unlike a password.
import { createHash, randomBytes, timingSafeEqual } from "crypto";
import * as fs from "fs";
import * as path from "path";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/**
 * A new token: 32 letters and digits (190 bits). Only letters and digits, so no spreadsheet or
 * mail merge escapes it (base64url's leading `-` was written `'-` by the tokens CSV), and a double
 * click selects all of it. NOTE: bytes ≥ 248 are drawn again, so each of the 62 is equally likely.
 */
export function newToken(): string {
  let t = "";
  while (t.length < 32) for (const b of randomBytes(40)) if (b < 248 && t.length < 32) t += ALPHANUMERIC[b % 62];
  return t;
}
export const hashToken = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");

/** A hash of nothing anyone holds: compared against when an email is unknown, so that answers take the same time. */
const NOBODY = hashToken(newToken());

/** Whether `token` is the one whose hash is `stored` (undefined: no such learner), in constant time either way. */
export function tokenMatches(token: string, stored: string | undefined): boolean {
  const a = Buffer.from(hashToken(token), "hex"),
    b = Buffer.from(stored ?? NOBODY, "hex");
  return a.length === b.length && timingSafeEqual(a, b) && stored !== undefined;
}

/** A random id for a submission: unguessable, so ids in URLs tell nothing about other learners. */
export const newSubmissionId = (): string => `s_${randomBytes(12).toString("base64url")}`;

/**
 * The instructor key, from `file` (created, readable by its owner only, when it does not exist):
 * whoever can read that file is the instructor.
 */
export function instructorKey(file: string): { key: string; created: boolean } {
  if (fs.existsSync(file)) {
    const key = fs.readFileSync(file, "utf8").trim();
    if (key.length < 16) throw new Error(`the instructor key in ${file} is shorter than 16 characters`);
    return { key, created: false };
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = newToken();
  fs.writeFileSync(file, key + "\n", { mode: 0o600, flag: "wx" });
  return { key, created: true };
}

/** Whether `given` is the instructor key, in constant time. */
export function keyMatches(given: string | undefined, key: string): boolean {
  if (given === undefined) return false;
  const a = createHash("sha256").update(given).digest(),
    b = createHash("sha256").update(key).digest();
  return timingSafeEqual(a, b);
}

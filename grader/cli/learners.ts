// Who a notebook is by, for the sections whose numbers vary per learner: the course's secret, the
// roster's emails, and one notebook's learner (--learner, Gradescope's submitter, the roster).
import * as fs from "fs";
import { rosterLearner } from "../batch";
import { InputError } from "../pipeline";
import { courseSecret, normalEmail, parseRoster, SECRET_FILE, type LearnerKey } from "../sections";

/** The course's secret, made (and said so) when there is none yet. */
export const ensureSecret = (err: NodeJS.WritableStream): string =>
  courseSecret(SECRET_FILE(), { create: true, log: (line) => err.write(`${line}\n`) }).secret;

export const rosterEmails = (file: string) => parseRoster(readInput(file, "--roster")).map((r) => r.email);

function readInput(file: string, flag: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`${flag} ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Whose one notebook is: --learner, else Gradescope's submitter, else the roster's learner it is named after. */
export function learnerOf(
  file: string,
  o: { learner?: string; submissionMetadata?: string; roster?: string },
): LearnerKey | undefined {
  let id = o.learner && normalEmail(o.learner);
  if (!id && o.submissionMetadata) {
    let users: { email?: unknown }[] | undefined;
    try {
      users = JSON.parse(readInput(o.submissionMetadata, "--submission-metadata")).users;
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`--submission-metadata ${o.submissionMetadata}: not JSON (${(e as Error).message})`);
    }
    const email = Array.isArray(users) ? users.find((u) => typeof u?.email === "string")?.email : undefined;
    if (typeof email !== "string")
      throw new InputError(`--submission-metadata ${o.submissionMetadata}: no submitter with an email in "users"`);
    id = normalEmail(email);
  }
  if (!id && o.roster) {
    id = rosterLearner(file, rosterEmails(o.roster));
    if (!id) throw new InputError(`${file}: not on the roster ${o.roster} — name the file after the learner's email`);
  }
  return id ? { id, secret: courseSecret(SECRET_FILE()).secret } : undefined;
}

// The course's secret: the key variants are drawn with (variants.ts). Kept in a file readable by its
// owner only, outside anything learners receive or their process may read; losing it changes every
// learner's numbers, so `course release --roster` makes it once and says where it is.
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { InputError } from "./errors";
import { projectRoot } from "./expected";

/** Where the secret is by default: COURSE_SECRET_FILE, else `.course-secret` in the project (git ignores it). */
export const SECRET_FILE = (env: NodeJS.ProcessEnv = process.env): string =>
  env.COURSE_SECRET_FILE || path.join(projectRoot, ".course-secret");

/**
 * The secret in `file`. With `create`, a missing file is made (32 random bytes as hex, mode 600),
 * `created` says so and `log` hears where it is and to keep it; without, a missing file is an
 * InputError naming the option that makes one.
 */
export function courseSecret(
  file: string,
  o: { create?: boolean; log?: (line: string) => void } = {},
): { secret: string; created: boolean } {
  if (fs.existsSync(file)) {
    const secret = fs.readFileSync(file, "utf8").trim();
    if (secret.length < 32)
      throw new InputError(`${file}: the course secret is shorter than 32 characters; it cannot be a secret`);
    return { secret, created: false };
  }
  if (!o.create)
    throw new InputError(
      `${file}: no course secret — learners' variants are drawn from it; \`course release --roster\` makes one (or set COURSE_SECRET_FILE)`,
    );
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("hex");
  // Written whole beside it, then linked into place: two processes starting at once agree on one secret.
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  fs.writeFileSync(temp, secret + "\n", { mode: 0o600, flag: "wx" });
  try {
    fs.linkSync(temp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return courseSecret(file); // another process made it first
  } finally {
    fs.rmSync(temp, { force: true });
  }
  o.log?.(
    `made the course secret in ${file}: every learner's numbers come from it — keep it and back it up (grading needs it; a new one changes every variant)`,
  );
  return { secret, created: true };
}

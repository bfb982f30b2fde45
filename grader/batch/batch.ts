// Batch grading: many submissions on a pool of worker processes (one per core by default), each
// worker reusing its type-checker across files. Every submission gets its row whatever another did:
// a worker that dies is replaced (its file is tried once more, then is an error row), one that
// outlives a notebook's budget is killed, a file the machine was too busy to grade fairly is graded
// again after a pause (BUSY_RETRIES, then an error row that says so, never a score), and nothing in
// this process reads a submission's content.
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createGradingPool } from "./pool";
import { learnerText, statusOf, type GradeReport, type LearnerStatus } from "../pipeline";

export interface LearnerResult {
  /** The notebook's claimed learner id (metadata.course.learner), else its file name; `anon-…` with --anonymize. */
  learner: string;
  file: string;
  /** The name of this submission's output files: unique in the batch, whatever the learners claim. */
  key: string;
  status: LearnerStatus;
  /** The section, when there is no report to say it (a row of the service's gradebook). */
  section?: string;
  report?: GradeReport;
  error?: string;
  seconds: number;
  /** Flags for the instructor, e.g. `duplicate-id: 2 submissions claim "alice"`. */
  flags: string[];
  /** The service's gradebook: the score after the late policy, and why it differs from the total. */
  final?: { score: number; late: string };
}
export interface BatchOptions {
  jobs?: number;
  section?: string;
  /**
   * A class list: each file is a learner's (its name, or its folder's, is their email) and is graded
   * against that learner's variant, drawn with `secret`; a file of no learner on it is an error row.
   */
  roster?: { emails: string[]; secret: string };
  anonymize?: boolean;
  onProgress?: (done: number, total: number, last: LearnerResult) => void;
  /** The pid of every learner process the workers start (each leads its own process group). */
  onSpawn?: (pid: number) => void;
  /** Test seams: the worker to fork (default `bin/course.js __grade-worker`), and when a worker counts as stuck on a file. */
  worker?: { module: string; args: string[] };
  stuckAfterMs?: number;
  /** Pause before grading again a file the machine was too busy to grade: BUSY_BACKOFF_MS × 4^(n−1). */
  busyBackoffMs?: number;
}

/** A file the machine was too busy to grade fairly is graded this many times in all. */
export const BUSY_ATTEMPTS = 3;
export const BUSY_BACKOFF_MS = 2000;

/** Expands folders (their .ipynb files, sorted) and keeps files as given. */
export function collectSubmissions(paths: string[]): string[] {
  return paths.flatMap((p) => {
    if (fs.existsSync(p) && fs.statSync(p).isDirectory()) {
      return fs
        .readdirSync(p)
        .filter((f) => f.endsWith(".ipynb"))
        .sort()
        .map((f) => path.join(p, f));
    }
    return [p];
  });
}

const hash = (s: string, n = 10) => createHash("sha256").update(s).digest("hex").slice(0, n);
const stem = (file: string) => path.basename(file).replace(/\.ipynb$/i, "");
/** The stable anonymous id of a learner id. */
export const anonymousId = (id: string) => `anon-${hash(`course-learner:${id}`)}`;

/**
 * Output names, one per submission and never two alike: the file name where it is a safe name
 * (letters of any script, digits, `._-`) and unique in the batch (case aside), else that name made
 * safe, cut to 60 characters, with a hash of the path. With --anonymize, the anonymous id instead.
 */
export function outputKeys(results: { file: string; learner: string }[], anonymize = false): string[] {
  const bases = results.map((r) => (anonymize ? r.learner : stem(r.file)));
  const slugs = bases.map(
    (b) =>
      b
        .normalize("NFC")
        .replace(/[^\p{L}\p{N}._-]+/gu, "_")
        .replace(/^[._]+/, "")
        .slice(0, 60) || "submission",
  );
  const count = new Map<string, number>();
  for (const s of slugs) count.set(s.toLowerCase(), (count.get(s.toLowerCase()) ?? 0) + 1);
  return slugs.map((s, i) =>
    s === bases[i] && count.get(s.toLowerCase()) === 1 ? s : `${s}-${hash(path.resolve(results[i].file), 8)}`,
  );
}

const NOT_ON_ROSTER =
  "not on the roster: name the file after the learner's email (ana@example.org.ipynb), or put it in a folder of that name";

/** The roster's learner a file belongs to: its name (less .ipynb) or its folder's name is their email. */
export function rosterLearner(file: string, emails: string[]): string | undefined {
  const names = [stem(file), path.basename(path.dirname(path.resolve(file)))].map((n) => n.trim().toLowerCase());
  return emails.find((e) => names.includes(e));
}

/** Flags every submission whose claimed learner id another submission claims too. */
function flagDuplicates(results: LearnerResult[]): void {
  const by = new Map<string, LearnerResult[]>();
  for (const r of results) by.set(r.learner, [...(by.get(r.learner) ?? []), r]);
  for (const [id, rs] of by)
    if (rs.length > 1) for (const r of rs) r.flags.push(`duplicate-id: ${rs.length} submissions claim "${id}"`);
}

type Raw = Omit<LearnerResult, "key" | "flags" | "learner"> & { claimed?: string };

export async function gradeBatch(files: string[], o: BatchOptions = {}): Promise<LearnerResult[]> {
  const jobs = Math.max(1, Math.min(o.jobs ?? os.availableParallelism(), files.length));
  const pool = createGradingPool({ jobs, onSpawn: o.onSpawn, worker: o.worker, stuckAfterMs: o.stuckAfterMs });
  let done = 0;
  const raw = await Promise.all(
    files.map(async (file): Promise<Raw> => {
      const email = o.roster && rosterLearner(file, o.roster.emails);
      if (o.roster && !email) {
        const r: Raw = { file, status: "error", error: NOT_ON_ROSTER, seconds: 0 };
        o.onProgress?.(++done, files.length, toResult(r, o.anonymize));
        return r;
      }
      const learner = email ? { id: email, secret: o.roster!.secret } : undefined;
      let g = await pool.grade(file, o.section, learner);
      for (let n = 1; g.busy && n < BUSY_ATTEMPTS; n++) {
        await new Promise((r) => setTimeout(r, (o.busyBackoffMs ?? BUSY_BACKOFF_MS) * 4 ** (n - 1)));
        g = await pool.grade(file, o.section, learner);
      }
      if (g.busy) g = { ...g, error: `not graded: ${g.error} (${BUSY_ATTEMPTS} tries)` };
      // With a roster, who the learner is comes from the roster, not from what the notebook claims.
      const r: Raw = g.report
        ? { file, status: statusOf(g.report), report: g.report, seconds: g.seconds, claimed: email ?? g.report.learner }
        : { file, status: g.inputError ? "not-a-notebook" : "error", error: g.error, seconds: g.seconds };
      o.onProgress?.(++done, files.length, toResult(r, o.anonymize));
      return r;
    }),
  );
  await pool.close();
  const results = raw.map((r) => toResult(r, o.anonymize));
  const keys = outputKeys(results, o.anonymize);
  results.forEach((r, i) => {
    r.key = keys[i];
    if (o.anonymize) anonymizeResult(r);
  });
  flagDuplicates(results);
  return results;
}

function toResult(r: Raw, anonymize = false): LearnerResult {
  const id = learnerText(r.claimed ?? "") || learnerText(stem(r.file)) || "submission";
  const { claimed: _, ...rest } = r;
  return { ...rest, learner: anonymize ? anonymousId(id) : id, key: "", flags: [] };
}

/** With --anonymize nothing in the outputs may carry the file's name: not the file column, not messages. */
function anonymizeResult(r: LearnerResult): void {
  const name = path.basename(r.file);
  const scrub = (t: string) => t.split(r.file).join("the submission").split(name).join("the submission");
  r.file = `${r.key}.ipynb`;
  if (r.error) r.error = scrub(r.error);
  if (r.report) r.report = { ...r.report, notebook: r.file, learner: undefined, notes: r.report.notes.map(scrub) };
}

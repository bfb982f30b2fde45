// Batch grading: many submissions on a pool of worker processes (one per core by default), each
// worker reusing its type-checker across files. Every submission gets its row whatever another did:
// a worker that dies is replaced (its file is tried once more, then is an error row), one that
// outlives a notebook's budget is killed, and nothing in this process reads a submission's content.
import { fork, type ChildProcess } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { NOTEBOOK_BUDGET_MS } from "./grade";
import type { GradeReport } from "./report";
import { learnerText, oneLine } from "./sanitize";
import { scaledMs } from "./time-scale";

export type LearnerStatus = "ok" | "timeout" | "type-error" | "not-a-notebook" | "error";
export interface LearnerResult {
  /** The notebook's claimed learner id (metadata.course.learner), else its file name; `anon-…` with --anonymize. */
  learner: string;
  file: string;
  /** The name of this submission's output files: unique in the batch, whatever the learners claim. */
  key: string;
  status: LearnerStatus;
  report?: GradeReport;
  error?: string;
  seconds: number;
  /** Flags for the instructor, e.g. `duplicate-id: 2 submissions claim "alice"`. */
  flags: string[];
}
export interface BatchOptions {
  jobs?: number;
  section?: string;
  anonymize?: boolean;
  onProgress?: (done: number, total: number, last: LearnerResult) => void;
  /** The pid of every learner process the workers start (each leads its own process group). */
  onSpawn?: (pid: number) => void;
  /** Test seams: the worker to fork (default `bin/course.js __grade-worker`), and when a worker counts as stuck on a file. */
  worker?: { module: string; args: string[] };
  stuckAfterMs?: number;
}

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

export function statusOf(report: GradeReport): LearnerStatus {
  if (report.parts.some((p) => p.status === "timeout")) return "timeout";
  if (report.parts.some((p) => p.status === "type-error")) return "type-error";
  return "ok";
}

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

/** Flags every submission whose claimed learner id another submission claims too. */
function flagDuplicates(results: LearnerResult[]): void {
  const by = new Map<string, LearnerResult[]>();
  for (const r of results) by.set(r.learner, [...(by.get(r.learner) ?? []), r]);
  for (const [id, rs] of by)
    if (rs.length > 1) for (const r of rs) r.flags.push(`duplicate-id: ${rs.length} submissions claim "${id}"`);
}

/**
 * NOTE: one worker alone keeps ~1.5 cores busy: V8's background threads (concurrent GC marking and
 * JIT of the TypeScript compiler) add ~50 % to its main thread (measured per thread in /proc). Two
 * such workers on two cores fight for those threads, so with more than one worker each runs V8
 * single-threaded: 100 submissions took 60 s that way against 65–71 s with V8's own threads.
 */
const workerFlags = (jobs: number) => (jobs > 1 ? ["--single-threaded"] : []);
/** A worker still on one file after its budget and this margin is killed (it is stuck outside the grader's own limits). */
const STUCK_MARGIN_MS = scaledMs(60_000);
/** Each file is tried on this many workers at most when its worker dies. */
const ATTEMPTS = 2;

/** What the batch and its workers say to each other over IPC (both are the grader's own code). */
type ToWorker = { type: "grade"; i: number; file: string; section?: string } | { type: "stop" };
type FromWorker =
  | { type: "ready" }
  | { type: "spawned"; pid: number }
  | { type: "graded"; i: number; report?: GradeReport; error?: string; inputError?: boolean };

type Raw = Omit<LearnerResult, "key" | "flags" | "learner"> & { claimed?: string };

export async function gradeBatch(files: string[], o: BatchOptions = {}): Promise<LearnerResult[]> {
  const jobs = Math.max(1, Math.min(o.jobs ?? os.availableParallelism(), files.length));
  const raw: (Raw | undefined)[] = files.map(() => undefined);
  const queue = files.map((_, i) => i);
  const attempts = files.map(() => 0);
  let done = 0,
    startFailures = 0;
  const worker = o.worker ?? { module: path.join(__dirname, "..", "bin", "course.js"), args: ["__grade-worker"] };
  const stuckAfterMs = o.stuckAfterMs ?? NOTEBOOK_BUDGET_MS + STUCK_MARGIN_MS;
  const finish = (i: number, r: Raw) => {
    if (raw[i]) return;
    raw[i] = r;
    done++;
    o.onProgress?.(done, files.length, toResult(r, o.anonymize));
  };

  function runWorker(): Promise<void> {
    return new Promise((resolve) => {
      // The environment is passed explicitly: under Jest, `process.env` is the test's own copy (COURSE_TIME_SCALE set by a suite).
      const proc: ChildProcess = fork(worker.module, worker.args, {
        env: process.env,
        execArgv: [...process.execArgv, ...workerFlags(jobs)],
        stdio: ["ignore", "ignore", "inherit", "ipc"],
        serialization: "advanced",
      });
      let current: { i: number; started: number; watchdog: NodeJS.Timeout } | undefined;
      let wasReady = false;
      const feed = () => {
        const i = queue.shift();
        if (i === undefined) {
          proc.send({ type: "stop" });
          return;
        }
        attempts[i]++;
        const watchdog = setTimeout(() => proc.kill("SIGKILL"), stuckAfterMs);
        current = { i, started: Date.now(), watchdog };
        proc.send({ type: "grade", i, file: files[i], section: o.section });
      };
      proc.on("message", (m: FromWorker) => {
        if (m?.type === "ready") {
          wasReady = true;
          return feed();
        }
        if (m?.type === "spawned") return o.onSpawn?.(m.pid);
        if (m?.type !== "graded" || !current || m.i !== current.i) return;
        clearTimeout(current.watchdog);
        const { i, started } = current;
        current = undefined;
        const seconds = (Date.now() - started) / 1000;
        if (m.report)
          finish(i, {
            file: files[i],
            status: statusOf(m.report),
            report: m.report,
            seconds,
            claimed: m.report.learner,
          });
        else
          finish(i, {
            file: files[i],
            status: m.inputError ? "not-a-notebook" : "error",
            error: oneLine(String(m.error)),
            seconds,
          });
        feed();
      });
      proc.on("exit", () => {
        if (current) {
          // Its worker died on this file (or was killed as stuck): once more on a fresh worker, then an error row.
          const { i, started, watchdog } = current;
          clearTimeout(watchdog);
          if (attempts[i] < ATTEMPTS) queue.unshift(i);
          else
            finish(i, {
              file: files[i],
              status: "error",
              error: "the grading worker died while grading this submission (twice); it was not graded",
              seconds: (Date.now() - started) / 1000,
            });
        }
        // A worker that never got ready three times over: the workers cannot start here; say so in every row left.
        if (!wasReady && ++startFailures >= 3)
          for (const i of queue.splice(0))
            finish(i, { file: files[i], status: "error", error: "the grading workers could not start", seconds: 0 });
        // Files are left and this worker is gone: a replacement takes its place.
        resolve(queue.length ? runWorker() : undefined);
      });
    });
  }
  await Promise.all(Array.from({ length: jobs }, runWorker));
  const results = files.map((file, i) =>
    toResult(raw[i] ?? { file, status: "error", error: "not graded", seconds: 0 }, o.anonymize),
  );
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

/** The worker side: grade files on request, one at a time, reusing this process's type-checker. */
export function runWorker(): void {
  const { gradeNotebook } = require("./grade") as typeof import("./grade");
  const { InputError } = require("./errors") as typeof import("./errors");
  process.on("message", async (m: ToWorker) => {
    if (m.type === "stop") {
      require("./typecheck").closeTypeChecker();
      process.disconnect();
      return;
    }
    try {
      const report = await gradeNotebook(m.file, {
        section: m.section,
        onSpawn: (pid) => process.send!({ type: "spawned", pid }),
      });
      process.send!({ type: "graded", i: m.i, report });
    } catch (e) {
      process.send!({
        type: "graded",
        i: m.i,
        error: e instanceof Error ? e.message : String(e),
        inputError: e instanceof InputError,
      });
    }
  });
  process.send!({ type: "ready" });
}

// Batch grading: many submissions on a pool of worker processes (one per core by default), each
// worker reusing its type-checker across files. A broken submission becomes a row with a status,
// never a stopped batch. The parent collects results, shows progress and writes the outputs.
import { fork, type ChildProcess } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { GradeReport } from "./report";

export type LearnerStatus = "ok" | "timeout" | "type-error" | "not-a-notebook" | "error";
export interface LearnerResult { learner: string; file: string; status: LearnerStatus; report?: GradeReport; error?: string; seconds: number }
export interface BatchOptions {
  jobs?: number; section?: string; anonymize?: boolean;
  onProgress?: (done: number, total: number, last: LearnerResult) => void;
  /** The pid of every learner process the workers start (each leads its own process group). */
  onSpawn?: (pid: number) => void;
}

/** Expands folders (their .ipynb files, sorted) and keeps files as given. */
export function collectSubmissions(paths: string[]): string[] {
  return paths.flatMap((p) => {
    if (fs.existsSync(p) && fs.statSync(p).isDirectory()) {
      return fs.readdirSync(p).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(p, f));
    }
    return [p];
  });
}

/** The learner id: the notebook's metadata (course.learner), else the file name; optionally a stable anonymous id. */
export function learnerId(file: string, anonymize = false): string {
  let id = path.basename(file).replace(/\.ipynb$/i, "");
  try {
    const meta = JSON.parse(fs.readFileSync(file, "utf8"))?.metadata?.course?.learner;
    if (typeof meta === "string" && meta.trim()) id = meta.trim();
  } catch { /* not JSON: the grader reports it */ }
  return anonymize ? `anon-${createHash("sha256").update(`course-learner:${id}`).digest("hex").slice(0, 10)}` : id;
}

/** With --anonymize nothing in the outputs may carry the file's name: not the file column, not messages. */
function anonymizeResult(r: LearnerResult): void {
  const name = path.basename(r.file);
  const scrub = (t: string) => t.split(r.file).join("the submission").split(name).join("the submission");
  r.file = `${r.learner}.ipynb`;
  if (r.error) r.error = scrub(r.error);
  if (r.report) r.report = { ...r.report, notebook: r.file, notes: r.report.notes.map(scrub) };
}

export function statusOf(report: GradeReport): LearnerStatus {
  if (report.parts.some((p) => p.status === "timeout")) return "timeout";
  if (report.parts.some((p) => p.status === "type-error")) return "type-error";
  return "ok";
}

/**
 * NOTE: one worker alone keeps ~1.5 cores busy: V8's background threads (concurrent GC marking and
 * JIT of the TypeScript compiler) add ~50 % to its main thread (measured per thread in /proc). Two
 * such workers on two cores fight for those threads, so with more than one worker each runs V8
 * single-threaded: 100 submissions took 60 s that way against 65–71 s with V8's own threads.
 */
const workerFlags = (jobs: number) => (jobs > 1 ? ["--single-threaded"] : []);

export async function gradeBatch(files: string[], o: BatchOptions = {}): Promise<LearnerResult[]> {
  const jobs = Math.max(1, Math.min(o.jobs ?? os.availableParallelism(), files.length));
  const results: LearnerResult[] = new Array(files.length);
  let next = 0, done = 0;
  const worker = path.join(__dirname, "..", "bin", "course.js");
  await Promise.all(Array.from({ length: jobs }, () => new Promise<void>((resolve) => {
    const proc: ChildProcess = fork(worker, ["__grade-worker"], { execArgv: [...process.execArgv, ...workerFlags(jobs)], stdio: ["ignore", "ignore", "inherit", "ipc"], serialization: "advanced" });
    const started = new Map<number, number>();
    const feed = () => {
      if (next >= files.length) { proc.send({ type: "stop" }); return; }
      const i = next++;
      started.set(i, Date.now());
      proc.send({ type: "grade", i, file: files[i], section: o.section });
    };
    proc.on("message", (m: any) => {
      if (m.type === "ready") return feed();
      if (m.type === "spawned") return o.onSpawn?.(m.pid);
      const file = files[m.i];
      const r: LearnerResult = { learner: learnerId(file, o.anonymize), file, seconds: (Date.now() - started.get(m.i)!) / 1000, status: "ok" };
      if (m.report) { r.report = m.report; r.status = statusOf(m.report); }
      else { r.status = m.inputError ? "not-a-notebook" : "error"; r.error = m.error; }
      if (o.anonymize) anonymizeResult(r);
      results[m.i] = r;
      o.onProgress?.(++done, files.length, r);
      feed();
    });
    proc.on("exit", () => {
      // A worker that died mid-file (it should not): its file is an error row, the others go on.
      for (const [i] of started) if (!results[i]) { results[i] = { learner: learnerId(files[i], o.anonymize), file: files[i], status: "error", error: "the grading worker died", seconds: 0 }; o.onProgress?.(++done, files.length, results[i]); }
      resolve();
    });
  })));
  // Anything never started (all workers died) is reported rather than silently missing.
  return results.map((r, i) => r ?? { learner: learnerId(files[i], o.anonymize), file: files[i], status: "error", error: "not graded", seconds: 0 });
}

/** The worker side: grade files on request, one at a time, reusing this process's type-checker. */
export function runWorker(): void {
  const { gradeNotebook } = require("./grade") as typeof import("./grade");
  const { InputError } = require("./errors") as typeof import("./errors");
  process.on("message", async (m: any) => {
    if (m.type === "stop") { require("./typecheck").closeTypeChecker(); process.disconnect(); return; }
    try {
      const report = await gradeNotebook(m.file, { section: m.section, onSpawn: (pid) => process.send!({ type: "spawned", pid }) });
      process.send!({ i: m.i, report });
    } catch (e) {
      process.send!({ i: m.i, error: e instanceof Error ? e.message : String(e), inputError: e instanceof InputError });
    }
  });
  process.send!({ type: "ready" });
}

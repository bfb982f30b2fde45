// Stage 3 — type-check: each cell through tslab's own converter, as the kernel does it: the same
// TypeScript (tslab's bundled 5.0), the same cell-to-cell declarations. A cell with errors is
// skipped, exactly as the kernel refuses to run it; other cells still run.
// The converter runs in a worker thread (typecheck-worker.ts) that the grader terminates when a
// notebook's type-check outlives its limit, and that replaces a converter that threw: no notebook
// can stall the grader in the compiler or leave it broken for the next one. The limit counts the
// thread's CPU time (read from the OS), never the clock: a busy machine cannot fail an honest
// notebook here. A type-check that reaches its backstop by the clock (BACKSTOP × the limit) with its
// CPU under the limit is the machine's problem (MachineBusy), graded again later.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { Worker } from "worker_threads";
import {
  MachineBusy,
  realClock,
  scaledMs,
  threadCpuMs,
  type CheckedCell,
  type CheckedProgram,
  type Clock,
  type Diagnostic,
} from "../isolation";
import { cellLabel, type CodeCell } from "./extract";
import { TypeCheckTimeout } from "./errors";

export type { CheckedCell, CheckedProgram, Diagnostic };

/** CPU time of the type-check thread for one notebook, over its cells (an honest 60-cell notebook: ~9 s uncached). */
export const TYPECHECK_MS = scaledMs(60_000);
/** TypeScript takes minutes over megabytes of code: no learner's cell needs more than this. */
export const MAX_CELL_CHARS = 256 * 1024;

export interface TypeChecker {
  /** Cells without a label are named by their number ("code cell 3"). */
  check(cells: (Omit<CodeCell, "label"> & { label?: string })[]): Promise<CheckedProgram>;
  /** Starts the thread and compiles the course helper, so that the first notebook does not pay for it. */
  warm(): Promise<void>;
  /** Ends the worker thread (its file watchers would keep the process alive). */
  close(): void;
}

interface Converted {
  diagnostics: Diagnostic[];
  declOutput: string;
  output: string;
  hasToplevelAwait: boolean;
}
/** The worker's answer for one cell (typecheck-worker.ts), or why there is none. */
type WorkerReply =
  { ok: true; result: Converted & { sideOutputs: { path: string; data: string }[] } } | { ok: false; message: string };

let workerSource: string | undefined;
const workerJs = () =>
  (workerSource ??= ts.transpileModule(fs.readFileSync(path.join(__dirname, "typecheck-worker.ts"), "utf8"), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText);

/** A cache holds this many conversions at most (a batch repeats most cells across learners). */
const CACHE_LIMIT = 20000;

/** The type-check's backstop by the clock is this many times its CPU limit. */
const BACKSTOP = 10;

export function createTypeChecker(
  notebookDir: string,
  opts: { limitMs?: number; clock?: Clock; threadCpu?: (tid: number) => number | undefined } = {},
): TypeChecker {
  const dir = path.resolve(notebookDir);
  const limitMs = opts.limitMs ?? TYPECHECK_MS;
  const clock = opts.clock ?? realClock,
    threadCpu = opts.threadCpu ?? threadCpuMs;
  // NOTE: tslab emits a helper file's JS (side output) only when it changed, so a converter reused
  // for the next notebook emits none: keep every side output for the checker's lifetime.
  const side = new Map<string, string>();
  // A cell's conversion depends only on the declarations before it and its own text: converting is
  // ~60 ms a cell, a cache hit ~0.
  const cache = new Map<string, Converted>();
  let worker:
    { thread: Worker; pending: Map<number, (r: WorkerReply) => void>; ready: Promise<void>; tid?: number } | undefined;
  let nextId = 1;

  function start() {
    const thread = new Worker(workerJs(), {
      eval: true,
      workerData: {
        dir,
        converterPath: require.resolve("tslab/dist/converter"),
        typescriptPath: require.resolve("@tslab/typescript-for-tslab", {
          paths: [path.dirname(require.resolve("tslab/package.json"))],
        }),
      },
      resourceLimits: { maxOldGenerationSizeMb: 1536 },
    });
    const pending = new Map<number, (r: WorkerReply) => void>();
    let readyResolve!: () => void;
    const ready = new Promise<void>((r) => (readyResolve = r));
    const w = { thread, pending, ready, tid: undefined as number | undefined };
    thread.on("message", (m) => {
      if (m.ready) {
        w.tid = typeof m.tid === "number" ? m.tid : undefined;
        readyResolve();
      } else pending.get(m.id)?.(m);
    });
    const fail = (message: string) => {
      readyResolve();
      for (const [, r] of pending) r({ ok: false, message });
      pending.clear();
      if (worker?.thread === thread) worker = undefined;
    };
    thread.on("error", (e) => fail(e.message));
    thread.on("exit", () => fail("the type-checker stopped"));
    thread.unref();
    return w;
  }

  /** The CPU time the thread has used so far (the clock where the OS cannot tell). */
  const cpuOf = (w: { tid?: number }) => (w.tid !== undefined ? threadCpu(w.tid) : undefined) ?? clock.now();

  /**
   * One cell through the worker, within `ms` of the thread's CPU time: undefined when that ran out (the
   * worker is then ended). Throws MachineBusy when the clock reaches the backstop first.
   */
  async function convert(
    prevDecl: string,
    source: string,
    ms: number,
  ): Promise<
    | { ok: true; result: Converted & { sideOutputs: { path: string; data: string }[] }; cpuMs: number }
    | { ok: false; message: string; cpuMs: number }
    | undefined
  > {
    // NOTE: the thread is unref'd, so that an idle checker never keeps the process alive: while a cell
    // is being converted, this timer does (else a CLI run would end, silently, while the thread starts).
    const keepAlive = setInterval(() => undefined, 60_000);
    try {
      return await convertIn((worker ??= start()), prevDecl, source, ms);
    } finally {
      clearInterval(keepAlive);
    }
  }

  async function convertIn(
    w: NonNullable<typeof worker>,
    prevDecl: string,
    source: string,
    ms: number,
  ): Promise<Awaited<ReturnType<typeof convert>>> {
    await w.ready;
    const cpu0 = cpuOf(w),
      t0 = clock.now();
    let timer: unknown;
    const limit = new Promise<"cpu" | "clock">((resolve) => {
      const poll = () => {
        const used = cpuOf(w) - cpu0,
          wall = clock.now() - t0;
        if (used >= ms) return resolve("cpu");
        if (wall >= BACKSTOP * limitMs) return resolve("clock");
        timer = clock.setTimeout(poll, Math.max(1, Math.min(100, ms - used)));
      };
      timer = clock.setTimeout(poll, Math.max(1, Math.min(100, ms)));
    });
    const work = new Promise<WorkerReply>((resolve) => {
      const id = nextId++;
      w.pending.set(id, (m) => {
        w.pending.delete(id);
        resolve(m);
      });
      w.thread.postMessage({ id, prevDecl, source });
    });
    const r = await Promise.race([work, limit]);
    clock.clearTimeout(timer);
    if (r === "cpu" || r === "clock") {
      const used = cpuOf(w) - cpu0,
        wall = clock.now() - t0;
      w.thread.terminate();
      if (worker === w) worker = undefined;
      if (r === "clock")
        throw new MachineBusy(
          `the machine was too busy to grade fairly: type-checking took ${Math.round(wall / 1000)} s by the clock while the type-checker used ${(used / 1000).toFixed(1)} s of its ${Math.round(limitMs / 1000)} s of CPU`,
        );
      return undefined;
    }
    return { ...r, cpuMs: cpuOf(w) - cpu0 };
  }

  /**
   * The learner's process always gets the course helper's compiled files (it calls parts through
   * course/shared/invoke.js), even when a notebook no longer imports ./course: one conversion per checker,
   * which also starts the thread and warms the compiler. Its CPU is the grader's, not the notebook's.
   */
  async function warmHelper(): Promise<void> {
    if (side.has(path.join(dir, "course.js"))) return;
    const got = await convert("", `import * as course from "./course";\nvoid course;`, TYPECHECK_MS);
    if (!got)
      throw new TypeCheckTimeout(
        `type-checking the course helper took more than ${Math.round(TYPECHECK_MS / 1000)} s of the compiler's CPU time`,
      );
    if (got.ok) for (const s of got.result.sideOutputs) side.set(s.path, s.data);
  }

  return {
    async check(cells) {
      let spentMs = 0;
      const left = () => Math.max(0, limitMs - spentMs);
      await warmHelper();
      let prevDecl = "";
      const out: CheckedCell[] = [];
      for (const given of cells) {
        const c = { ...given, label: given.label ?? cellLabel(given.cell) };
        const which = { cell: c.cell, label: c.label };
        const declares = topLevelNames(c.source.length > MAX_CELL_CHARS ? c.source.slice(0, 10000) : c.source);
        if (c.source.length > MAX_CELL_CHARS) {
          const message = `the cell holds ${(c.source.length / 1048576).toFixed(1)} MB of code; cells over ${MAX_CELL_CHARS / 1024} KB are not compiled (paste data into a file under data/ instead)`;
          out.push({ ...which, topLevelAwait: false, diagnostics: [{ line: 1, col: 1, message }], declares });
          continue;
        }
        const key = createHash("sha256").update(prevDecl).update("\u0000").update(c.source).digest("base64");
        let r = cache.get(key);
        if (!r) {
          const got = await convert(prevDecl, c.source, left());
          if (!got)
            throw new TypeCheckTimeout(
              `type-checking the notebook took more than ${Math.round(limitMs / 1000)} s of the compiler's CPU time (it stopped at ${c.label}; is code generated or pasted into the notebook?)`,
            );
          spentMs += got.cpuMs;
          if (!got.ok) {
            // The compiler itself failed on this cell (say, code nested thousands deep): it is skipped, like a type error.
            out.push({
              ...which,
              topLevelAwait: false,
              diagnostics: [
                { line: 1, col: 1, message: `the type-checker could not handle this cell (${got.message})` },
              ],
              declares,
            });
            continue;
          }
          for (const s of got.result.sideOutputs) side.set(s.path, s.data);
          r = {
            diagnostics: got.result.diagnostics,
            declOutput: got.result.declOutput,
            output: got.result.output,
            hasToplevelAwait: got.result.hasToplevelAwait,
          };
          if (cache.size >= CACHE_LIMIT) cache.clear();
          cache.set(key, r);
        }
        if (r.diagnostics.length > 0) {
          out.push({ ...which, topLevelAwait: false, diagnostics: r.diagnostics, declares });
          continue;
        }
        prevDecl = r.declOutput;
        out.push({ ...which, js: r.output, topLevelAwait: r.hasToplevelAwait, diagnostics: [], declares });
      }
      return { cells: out, sideOutputs: [...side].map(([p, data]) => ({ path: p, data })) };
    },
    warm: () => warmHelper(),
    close() {
      worker?.thread.terminate();
      worker = undefined;
    },
  };
}

/** Names a cell declares at top level (functions, classes, variables), found by parsing only. */
export function topLevelNames(source: string): string[] {
  let sf: ts.SourceFile;
  try {
    sf = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  } catch {
    return []; // the parser's own limits (code nested thousands deep): such a cell declares nothing usable
  }
  const names: string[] = [];
  for (const st of sf.statements) {
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) names.push(st.name.text);
    if (ts.isVariableStatement(st))
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
  }
  return names;
}

// The checker of each notebook folder that callers share when they pass none (the CLI, tests).
const shared = new Map<string, TypeChecker>();
/** This process's type-checker for `notebookDir`, created on first use. */
export function sharedTypeChecker(notebookDir: string): TypeChecker {
  const dir = path.resolve(notebookDir);
  let c = shared.get(dir);
  if (!c) shared.set(dir, (c = createTypeChecker(dir)));
  return c;
}
/** Releases the shared type-checkers. */
export function closeTypeChecker(): void {
  for (const c of shared.values()) c.close();
  shared.clear();
}

// Stage 3 — type-check: each cell through tslab's own converter, as the kernel does it: the same
// TypeScript (tslab's bundled 5.0), the same cell-to-cell declarations. A cell with errors is
// skipped, exactly as the kernel refuses to run it; other cells still run.
// The converter runs in a worker thread (typecheck-worker.ts) that the grader terminates when a
// notebook's type-check outlives its limit, and that replaces a converter that threw: no notebook
// can stall the grader in the compiler or leave it broken for the next one.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { Worker } from "worker_threads";
import { createBudget, type Budget } from "./budget";
import type { CodeCell } from "./extract";
import { scaledMs } from "./time-scale";

export interface Diagnostic {
  line: number;
  col: number;
  message: string;
}
export interface CheckedCell {
  cell: number;
  js?: string;
  topLevelAwait: boolean;
  diagnostics: Diagnostic[];
  declares: string[];
}
export interface CheckedProgram {
  cells: CheckedCell[];
  sideOutputs: { path: string; data: string }[];
}

/** A notebook's type-check, over its cells, stops after this (an honest 60-cell notebook: ~9 s uncached). */
export const TYPECHECK_MS = scaledMs(60_000);
/** TypeScript takes minutes over megabytes of code: no learner's cell needs more than this. */
export const MAX_CELL_CHARS = 256 * 1024;

/** The type-check ran out of time: the notebook is too much for the compiler. */
export class TypeCheckTimeout extends Error {}

export interface TypeChecker {
  check(cells: CodeCell[], budget?: Budget): Promise<CheckedProgram>;
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

export function createTypeChecker(notebookDir: string, opts: { limitMs?: number } = {}): TypeChecker {
  const dir = path.resolve(notebookDir);
  const limitMs = opts.limitMs ?? TYPECHECK_MS;
  // NOTE: tslab emits a helper file's JS (side output) only when it changed, so a converter reused
  // for the next notebook emits none: keep every side output for the checker's lifetime.
  const side = new Map<string, string>();
  // A cell's conversion depends only on the declarations before it and its own text: converting is
  // ~60 ms a cell, a cache hit ~0.
  const cache = new Map<string, Converted>();
  let worker: { thread: Worker; pending: Map<number, (r: WorkerReply) => void>; ready: Promise<void> } | undefined;
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
    thread.on("message", (m) => {
      if (m.ready) readyResolve();
      else pending.get(m.id)?.(m);
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
    return { thread, pending, ready };
  }

  /** One cell through the worker, within `ms`; undefined when time ran out (the worker is then ended). */
  async function convert(
    prevDecl: string,
    source: string,
    ms: number,
  ): Promise<
    | { ok: true; result: Converted & { sideOutputs: { path: string; data: string }[] } }
    | { ok: false; message: string }
    | undefined
  > {
    worker ??= start();
    const w = worker;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
    });
    const work = w.ready.then(
      () =>
        new Promise<WorkerReply>((resolve) => {
          const id = nextId++;
          w.pending.set(id, (m) => {
            w.pending.delete(id);
            resolve(m);
          });
          w.thread.postMessage({ id, prevDecl, source });
        }),
    );
    const r = await Promise.race([work, timeout]);
    clearTimeout(timer);
    if (r === undefined) {
      w.thread.terminate();
      if (worker === w) worker = undefined;
    }
    return r;
  }

  return {
    async check(cells, budget = createBudget(Infinity)) {
      const own = createBudget(limitMs);
      // The learner's process always gets the course helper's compiled files (it calls parts through
      // course/invoke.js), even when a notebook no longer imports ./course: one conversion per checker.
      if (!side.has(path.join(dir, "course.js"))) {
        const got = await convert(
          "",
          `import * as course from "./course";\nvoid course;`,
          Math.min(own.remainingMs(), budget.remainingMs()),
        );
        if (!got)
          throw new TypeCheckTimeout(
            `type-checking the course helper took longer than ${Math.round(Math.min(limitMs, budget.limitMs) / 1000)} s`,
          );
        if (got.ok) for (const s of got.result.sideOutputs) side.set(s.path, s.data);
      }
      let prevDecl = "";
      const out: CheckedCell[] = [];
      for (const c of cells) {
        const declares = topLevelNames(c.source.length > MAX_CELL_CHARS ? c.source.slice(0, 10000) : c.source);
        if (c.source.length > MAX_CELL_CHARS) {
          const message = `the cell holds ${(c.source.length / 1048576).toFixed(1)} MB of code; cells over ${MAX_CELL_CHARS / 1024} KB are not compiled (paste data into a file under data/ instead)`;
          out.push({ cell: c.cell, topLevelAwait: false, diagnostics: [{ line: 1, col: 1, message }], declares });
          continue;
        }
        const key = createHash("sha256").update(prevDecl).update("\u0000").update(c.source).digest("base64");
        let r = cache.get(key);
        if (!r) {
          const got = await convert(prevDecl, c.source, Math.min(own.remainingMs(), budget.remainingMs()));
          if (!got)
            throw new TypeCheckTimeout(
              `type-checking the notebook took longer than ${Math.round(Math.min(limitMs, budget.limitMs) / 1000)} s (it stopped at cell ${c.cell}; is code generated or pasted into the notebook?)`,
            );
          if (!got.ok) {
            // The compiler itself failed on this cell (say, code nested thousands deep): it is skipped, like a type error.
            out.push({
              cell: c.cell,
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
          out.push({ cell: c.cell, topLevelAwait: false, diagnostics: r.diagnostics, declares });
          continue;
        }
        prevDecl = r.declOutput;
        out.push({ cell: c.cell, js: r.output, topLevelAwait: r.hasToplevelAwait, diagnostics: [], declares });
      }
      return { cells: out, sideOutputs: [...side].map(([p, data]) => ({ path: p, data })) };
    },
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

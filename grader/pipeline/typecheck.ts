// Stage 3 — type-check: each cell through tslab's own converter, as the kernel does it: the same
// TypeScript (tslab's bundled 5.0), the same cell-to-cell declarations. A cell with errors is
// skipped, exactly as the kernel refuses to run it; other cells still run.
// The converter runs in a worker thread (typecheck-worker.ts) that the grader terminates when a
// notebook's type-check outlives its limit, and that replaces a converter that threw: no notebook
// can stall the grader in the compiler or leave it broken for the next one. The limit counts the
// thread's CPU time (read from the OS), never the clock: a busy machine cannot fail an honest
// notebook here. A type-check that reaches its backstop by the clock (BACKSTOP × the limit) with its
// CPU under the limit is the machine's problem (MachineBusy), graded again later.
import * as path from "path";
import {
  conversionTag,
  HELPER_CELL,
  HELPER_KEY,
  isEntry,
  KIND,
  parse as parseJson,
} from "../../notebooks/kernel/conversions.js";
import { cacheRoot, createDiskCache, hashOf, type DiskCache } from "../cache";
import { scaledMs, type CheckedCell, type CheckedProgram, type Clock, type Diagnostic } from "../isolation";
import { cellLabel, type CodeCell } from "./extract";
import { TypeCheckTimeout } from "./errors";
import { lazyTypeScript } from "./lazy-typescript";
import { topLevelNames as namesIn } from "./top-level-names";
import { converterPaths, createConverterThread, type Converted, type SideOutput } from "./typecheck-thread";

export type { CheckedCell, CheckedProgram, Diagnostic };

/** CPU time of the type-check thread for one notebook, over its cells (an honest 60-cell notebook: ~9 s uncached). */
export const TYPECHECK_MS = scaledMs(60_000);
/** TypeScript takes minutes over megabytes of code: no learner's cell needs more than this. */
export const MAX_CELL_CHARS = 256 * 1024;

export interface TypeChecker {
  /** Cells without a label are named by their number ("code cell 3"). */
  check(cells: (Omit<CodeCell, "label"> & { label?: string })[]): Promise<CheckedProgram>;
  /** Starts the thread and compiles the course helper, so that the first notebook's new cells do not pay for it. */
  warm(): Promise<void>;
  /** Ends the worker thread (its file watchers would keep the process alive). */
  close(): void;
}

/** A cell's conversion and the names it declares: what the caches keep (the kernel's entries lack the names). */
type Entry = Converted & { declares: string[] };

/** The memory cache holds this many conversions at most (a batch repeats most cells across learners). */
const CACHE_LIMIT = 20000;

/**
 * A conversion's cost is the compiler's: tslab's converter in a thread (typecheck-thread.ts), ~60 ms a cell
 * after a start of ~3 s (the compiler, Node's declarations, the course helper). A cell's conversion depends
 * only on the declarations before it and its own text (with the tag's inputs fixed), so conversions are
 * kept in memory and on disk (grader/cache): a cell seen before — a released notebook's given code, or a
 * learner's cell whose declarations match the stub's — costs a file read, and a notebook made only of
 * such cells never starts the thread.
 */
export function createTypeChecker(notebookDir: string, opts: TypeCheckerOptions = {}): TypeChecker {
  return new CachedTypeChecker(path.resolve(notebookDir), opts);
}

export interface TypeCheckerOptions {
  limitMs?: number;
  clock?: Clock;
  threadCpu?: (tid: number) => number | undefined;
  disk?: DiskCache;
}

type EntryOf = { entry: Entry; cpuMs: number } | { failed: string; cpuMs: number } | undefined;

class CachedTypeChecker implements TypeChecker {
  private readonly limitMs: number;
  private readonly thread: ReturnType<typeof createConverterThread>;
  private disk: DiskCache | undefined;
  // NOTE: tslab emits a helper file's JS (side output) only when it changed, so a converter reused
  // for the next notebook emits none: keep every side output for the checker's lifetime.
  private readonly side = new Map<string, string>();
  private readonly memory = new Map<string, Entry>();

  constructor(
    private readonly dir: string,
    opts: TypeCheckerOptions,
  ) {
    this.limitMs = opts.limitMs ?? TYPECHECK_MS;
    this.thread = createConverterThread(dir, this.limitMs, opts);
    this.disk = opts.disk;
  }

  async check(cells: (Omit<CodeCell, "label"> & { label?: string })[]): Promise<CheckedProgram> {
    let spentMs = 0;
    await this.helperOutputs();
    let prevDecl = "";
    const out: CheckedCell[] = [];
    for (const given of cells) {
      const c = { ...given, label: given.label ?? cellLabel(given.cell) };
      const which = { cell: c.cell, label: c.label };
      if (c.source.length > MAX_CELL_CHARS) {
        const message = `the cell holds ${(c.source.length / 1048576).toFixed(1)} MB of code; cells over ${MAX_CELL_CHARS / 1024} KB are not compiled (paste data into a file under data/ instead)`;
        const declares = topLevelNames(c.source.slice(0, 10000));
        out.push({ ...which, topLevelAwait: false, diagnostics: [{ line: 1, col: 1, message }], declares });
        continue;
      }
      const got = await this.entryOf(prevDecl, c.source, Math.max(0, this.limitMs - spentMs));
      if (!got)
        throw new TypeCheckTimeout(
          `type-checking the notebook took more than ${Math.round(this.limitMs / 1000)} s of the compiler's CPU time (it stopped at ${c.label}; is code generated or pasted into the notebook?)`,
        );
      spentMs += got.cpuMs;
      if ("failed" in got) {
        // The compiler itself failed on this cell (say, code nested thousands deep): it is skipped, like a type error.
        const message = `the type-checker could not handle this cell (${got.failed})`;
        out.push({
          ...which,
          topLevelAwait: false,
          diagnostics: [{ line: 1, col: 1, message }],
          declares: topLevelNames(c.source),
        });
        continue;
      }
      const r = got.entry;
      if (r.diagnostics.length > 0) {
        out.push({ ...which, topLevelAwait: false, diagnostics: r.diagnostics, declares: r.declares });
        continue;
      }
      prevDecl = r.declOutput;
      out.push({ ...which, js: r.output, topLevelAwait: r.hasToplevelAwait, diagnostics: [], declares: r.declares });
    }
    return { cells: out, sideOutputs: [...this.side].map(([p, data]) => ({ path: p, data })) };
  }

  async warm(): Promise<void> {
    if (!this.thread.running()) await this.compileHelper();
  }

  close(): void {
    this.thread.close();
  }

  private diskCache(): DiskCache {
    return (this.disk ??= createDiskCache(cacheRoot(), KIND, conversionTag(this.dir, converterPaths())));
  }

  /** The course helper through the thread (which compiles it, warming the compiler); its outputs kept on disk. */
  private async compileHelper(): Promise<void> {
    const got = await this.thread.convert("", HELPER_CELL, TYPECHECK_MS);
    if (!got)
      throw new TypeCheckTimeout(
        `type-checking the course helper took more than ${Math.round(TYPECHECK_MS / 1000)} s of the compiler's CPU time`,
      );
    if (!got.ok) return;
    for (const s of got.result.sideOutputs) this.side.set(s.path, s.data);
    const kept: SideOutput[] = [...this.side].map(([p, data]) => ({ path: path.relative(this.dir, p), data }));
    if (kept.length) this.diskCache().set(HELPER_KEY, JSON.stringify(kept));
  }

  /**
   * The learner's process always gets the course helper's compiled files (it calls parts through
   * course/shared/invoke.js), even when a notebook no longer imports ./course: from memory, the disk,
   * or one conversion. Its CPU is the grader's, not the notebook's.
   */
  private async helperOutputs(): Promise<void> {
    if (this.side.has(path.join(this.dir, "course.js"))) return;
    const kept = parseJson<SideOutput[]>(this.diskCache().get(HELPER_KEY));
    if (Array.isArray(kept) && kept.some((s) => s.path === "course.js")) {
      for (const s of kept) this.side.set(path.join(this.dir, s.path), s.data);
      return;
    }
    await this.compileHelper();
  }

  /** A cell's entry from memory or disk, else from the thread within `ms` (undefined: out of time). */
  private async entryOf(prevDecl: string, source: string, ms: number): Promise<EntryOf> {
    const key = hashOf(prevDecl, source);
    const known = this.memory.get(key) ?? parseJson<Entry>(this.diskCache().get(key));
    if (isEntry(known) && Array.isArray(known.declares)) {
      this.remember(key, known);
      return { entry: known, cpuMs: 0 };
    }
    const got = await this.thread.convert(prevDecl, source, ms);
    if (!got) return undefined;
    if (!got.ok) return { failed: got.message, cpuMs: got.cpuMs };
    for (const s of got.result.sideOutputs) this.side.set(s.path, s.data);
    const { sideOutputs: _kept, ...entry } = got.result; // the side outputs are kept in `side`, not per cell
    this.remember(key, entry);
    this.diskCache().set(key, JSON.stringify(entry));
    return { entry, cpuMs: got.cpuMs };
  }

  private remember(key: string, entry: Entry): void {
    if (this.memory.size >= CACHE_LIMIT) this.memory.clear();
    this.memory.set(key, entry);
  }
}

/** Names a cell declares at top level (functions, classes, variables), found by parsing only. */
export const topLevelNames = (source: string): string[] => namesIn(lazyTypeScript(), source);

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

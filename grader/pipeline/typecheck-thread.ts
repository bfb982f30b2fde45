// The type-check's thread: tslab's converter (typecheck-worker.ts) in a worker thread, one cell per
// request, within a limit of the thread's CPU time read from the OS, never the clock. A thread that
// outlives its limit is terminated (the next request starts a new one); one that reaches the backstop
// by the clock (BACKSTOP × the limit) with its CPU under the limit means the machine was too busy to
// judge (MachineBusy, graded again later). The thread is started on the first request only.
import * as fs from "fs";
import * as path from "path";
import { Worker } from "worker_threads";
import * as conversions from "../../notebooks/kernel/conversions.js";
import { cachedBuild } from "../cache";
import { MachineBusy, realClock, threadCpuMs, type Clock, type Diagnostic } from "../isolation";
import { lazyTypeScript } from "./lazy-typescript";

/** One cell's conversion by tslab's converter. */
export interface Converted {
  diagnostics: Diagnostic[];
  declOutput: string;
  output: string;
  hasToplevelAwait: boolean;
  /** The variable holding the cell's last expression, which the kernel prints. */
  lastExpressionVar?: string;
}
export type SideOutput = { path: string; data: string };
/** The worker's answer for one cell (typecheck-worker.ts), or why there is none. */
type WorkerReply =
  { ok: true; result: Converted & { declares: string[]; sideOutputs: SideOutput[] } } | { ok: false; message: string };
export type ThreadReply = (WorkerReply & { cpuMs: number }) | undefined;

/** The type-check's backstop by the clock is this many times its CPU limit. */
const BACKSTOP = 10;

/** The converter's module and its TypeScript (tslab's own 5.0, not the grader's), as the grader resolves them. */
export const converterPaths = () => conversions.converterPaths(__dirname);
/** What the cache keeps of a conversion, made in the thread by the function the kernel uses too. */
const CONVERSIONS = require.resolve("../../notebooks/kernel/conversions.js");

/** The thread's files: the worker and the one module it imports (the cell's names, with tslab's TypeScript). */
const WORKER_FILES = ["typecheck-worker.ts", "top-level-names.ts"];

let workerSource: string | undefined;
/** The thread's script: its files transpiled and linked, kept in the grader's cache (transpiling needs TypeScript, ~0.6 s to load). */
function workerJs(): string {
  if (workerSource) return workerSource;
  const sources = WORKER_FILES.map((f) => fs.readFileSync(path.join(__dirname, f), "utf8"));
  // This file's own text is an input: it writes the linking below.
  const inputs = [
    fs.readFileSync(__filename, "utf8"),
    fs.readFileSync(require.resolve("typescript/package.json"), "utf8"),
    ...sources,
  ];
  return (workerSource = cachedBuild("typecheck-worker", inputs, () => {
    const ts = lazyTypeScript();
    const [worker, names] = sources.map(
      (s) =>
        ts.transpileModule(s, {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
        }).outputText,
    );
    return `const namesModule = (() => { const module = { exports: {} }, exports = module.exports;\n${names}\nreturn module.exports; })();
((require) => {\n${worker}\n})((id) => (id === "./top-level-names" ? namesModule : require(id)));`;
  }));
}

export interface ConverterThread {
  /** One cell within `ms` of the thread's CPU time: undefined when that ran out (the thread is then ended). */
  convert(prevDecl: string, source: string, ms: number): Promise<ThreadReply>;
  /** Whether a thread is running (started by a request, not yet ended). */
  running(): boolean;
  close(): void;
}

interface Running {
  thread: Worker;
  pending: Map<number, (r: WorkerReply) => void>;
  ready: Promise<void>;
  tid?: number;
}

/** A converter thread for `dir`; `gone(thread)` once it errs or exits (every pending reply failed first). */
function startThread(dir: string, gone: (thread: Worker) => void): Running {
  const thread = new Worker(workerJs(), {
    eval: true,
    workerData: { dir, conversionsPath: CONVERSIONS, ...converterPaths() },
    resourceLimits: { maxOldGenerationSizeMb: 1536 },
  });
  let readyResolve!: () => void;
  const w: Running = { thread, pending: new Map(), ready: new Promise<void>((r) => (readyResolve = r)) };
  thread.on("message", (m) => {
    if (m.ready) {
      w.tid = typeof m.tid === "number" ? m.tid : undefined;
      readyResolve();
    } else w.pending.get(m.id)?.(m);
  });
  const fail = (message: string) => {
    readyResolve();
    for (const [, r] of w.pending) r({ ok: false, message });
    w.pending.clear();
    gone(thread);
  };
  thread.on("error", (e) => fail(e.message));
  thread.on("exit", () => fail("the type-checker stopped"));
  thread.unref();
  return w;
}

/** Resolves once `cpuMs()` has grown by `ms` ("cpu"), or the clock by `backstopMs` first ("clock"). */
function cpuLimit(clock: Clock, cpuMs: () => number, ms: number, backstopMs: number) {
  const cpu0 = cpuMs(),
    t0 = clock.now();
  let timer: unknown;
  const reached = new Promise<"cpu" | "clock">((resolve) => {
    const poll = () => {
      const used = cpuMs() - cpu0;
      if (used >= ms) return resolve("cpu");
      if (clock.now() - t0 >= backstopMs) return resolve("clock");
      timer = clock.setTimeout(poll, Math.max(1, Math.min(100, ms - used)));
    };
    timer = clock.setTimeout(poll, Math.max(1, Math.min(100, ms)));
  });
  return {
    reached,
    used: () => ({ cpu: cpuMs() - cpu0, wall: clock.now() - t0 }),
    cancel: () => clock.clearTimeout(timer),
  };
}

export function createConverterThread(
  dir: string,
  limitMs: number,
  opts: { clock?: Clock; threadCpu?: (tid: number) => number | undefined } = {},
): ConverterThread {
  const clock = opts.clock ?? realClock,
    threadCpu = opts.threadCpu ?? threadCpuMs;
  let worker: Running | undefined;
  let nextId = 1;
  const start = () =>
    startThread(dir, (thread) => {
      if (worker?.thread === thread) worker = undefined;
    });

  /** The CPU time the thread has used so far (the clock where the OS cannot tell). */
  const cpuOf = (w: { tid?: number }) => (w.tid !== undefined ? threadCpu(w.tid) : undefined) ?? clock.now();

  async function convertIn(w: Running, prevDecl: string, source: string, ms: number): Promise<ThreadReply> {
    await w.ready;
    const limit = cpuLimit(clock, () => cpuOf(w), ms, BACKSTOP * limitMs);
    const work = new Promise<WorkerReply>((resolve) => {
      const id = nextId++;
      w.pending.set(id, (m) => {
        w.pending.delete(id);
        resolve(m);
      });
      w.thread.postMessage({ id, prevDecl, source });
    });
    const r = await Promise.race([work, limit.reached]);
    limit.cancel();
    const used = limit.used();
    if (r !== "cpu" && r !== "clock") return { ...r, cpuMs: used.cpu };
    w.thread.terminate();
    if (worker === w) worker = undefined;
    if (r === "clock")
      throw new MachineBusy(
        `the machine was too busy to grade fairly: type-checking took ${Math.round(used.wall / 1000)} s by the clock while the type-checker used ${(used.cpu / 1000).toFixed(1)} s of its ${Math.round(limitMs / 1000)} s of CPU`,
      );
    return undefined;
  }

  return {
    async convert(prevDecl, source, ms) {
      // NOTE: the thread is unref'd, so that an idle checker never keeps the process alive: while a cell
      // is being converted, this timer does (else a CLI run would end, silently, while the thread starts).
      const keepAlive = setInterval(() => undefined, 60_000);
      try {
        return await convertIn((worker ??= start()), prevDecl, source, ms);
      } finally {
        clearInterval(keepAlive);
      }
    },
    running: () => worker !== undefined,
    close() {
      worker?.thread.terminate();
      worker = undefined;
    },
  };
}

// Stage 4 — run isolated: the learner's compiled cells run in a child Node process with
// Node's permission model (reads limited to node_modules and the public data/, no child processes,
// no workers, no addons but the course's, nothing written) inside the OS sandbox of sandbox.ts
// (memory and CPU caps, no network, its own PID namespace), with wall-clock limits: per cell of
// top-level code (a cell over it is skipped and the others run again) and per call (a call that
// hangs kills the child; the next call starts a fresh one, so one runaway function costs only its
// part). Nothing the child sends is trusted: replies are checked for shape and size here.
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { projectRoot } from "./expected";
import { sandboxCommand } from "./sandbox";
import { scaledMs, timeScale } from "./time-scale";
import type { CheckedProgram } from "./typecheck";

/** The most numbers a learner's value may hold (section 05's trained parameters hold 161,000). */
const MAX_NUMBERS = 2_000_000;
/** Whether a value from the learner's process holds more numbers than the grader will look at (counted without recursion limits). */
function tooBig(v: unknown): boolean {
  let n = 0;
  const stack: unknown[] = [v];
  while (stack.length) {
    const x = stack.pop();
    if (Array.isArray(x)) { n += x.length; if (n > MAX_NUMBERS) return true; for (const y of x) if (typeof y === "object") stack.push(y); }
    else if (x && typeof x === "object") { const vs = Object.values(x); n += vs.length; if (n > MAX_NUMBERS) return true; stack.push(...vs); }
  }
  return false;
}
const isLoadError = (e: any): e is { cell: number; message: string } => Number.isInteger(e?.cell) && typeof e?.message === "string";

export type CallOutcome =
  | { kind: "value"; value: unknown }
  | { kind: "threw" | "wrongType" | "missing" | "timeout" | "crashed" | "loadFailed" | "unanswered"; message: string };

/** A function by name, a method of a fresh instance ("Class.method", state in args[0]), or an answer constant. */
export type CallTarget = { kind: "function" } | { kind: "method"; fields: string[] } | { kind: "answer" };

export interface RunLimits {
  /** Wall-clock limit for each cell's top-level code; a cell over it is skipped and the rest run again. */
  loadTimeoutMs: number;
  /** V8's heap (--max-old-space-size). */
  memoryMb: number;
  /** All the process's memory, typed arrays included (RLIMIT_DATA, where prlimit exists). */
  dataMb: number;
  /** CPU time over the process's life (RLIMIT_CPU): a backstop behind the wall-clock limits. */
  cpuSeconds: number;
}
/** The time limits are scaled by COURSE_TIME_SCALE (time-scale.ts). */
export const DEFAULT_LIMITS: RunLimits = { loadTimeoutMs: scaledMs(10_000), memoryMb: 512, dataMb: 2048, cpuSeconds: Math.round(600 * timeScale()) };
export interface Isolated {
  /** Runtime errors raised by top-level code, by cell. */
  loadErrors(): Promise<{ cell: number; message: string }[]>;
  call(name: string, args: unknown[], timeoutMs: number, target?: CallTarget): Promise<CallOutcome>;
  close(): void;
}

let childSource: string | undefined;
function childJs(): string {
  childSource ??= ts.transpileModule(fs.readFileSync(path.join(__dirname, "child-runner.ts"), "utf8"), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  return childSource;
}

/** What the learner's process may read: the installed packages and the public data. */
const readable = () => [...new Set(["node_modules", "data"].flatMap((d) => [path.join(projectRoot, d), fs.realpathSync(path.join(projectRoot, d))]))];

/** The course's BLAS addon (built by `npm install`), if there is one: the learner's process preloads it. */
const addonFor = (notebookDir: string) => {
  const file = path.join(notebookDir, "course", "native", "build", "course_blas.node");
  return fs.existsSync(file) ? file : undefined;
};

interface Live { proc: ChildProcess; isLoaded?: boolean; loaded: Promise<LoadOutcome>; currentCell: number; pending?: (m: any) => void; pong?: () => void; responsive?: boolean }
/** A notebook may lose this many cells to runaway top-level code (each costs a load timeout) before grading stops. */
const MAX_SKIPPED_CELLS = 2;
/** How long a loaded process may take to answer a ping before its top-level code counts as starving it. */
const PING_MS = scaledMs(3000);
type LoadOutcome = { ok: true; errors: { cell: number; message: string }[] } | { ok: false; cell: number; reason: string };

/** What the caller may watch: each learner process started (its pid leads its own process group). */
export interface IsolatedHooks { onSpawn?: (pid: number) => void }

export function createIsolated(program: CheckedProgram, notebookDir: string, limits: RunLimits, hooks: IsolatedHooks = {}): Isolated {
  const addon = addonFor(notebookDir);
  const cells = program.cells.filter((c) => c.js !== undefined).map((c) => ({ cell: c.cell, js: c.js!, topLevelAwait: c.topLevelAwait }));
  /** Cells whose top-level code hung or ended the process: left out of every later start. */
  const skipped = new Map<number, string>();
  let live: Live | undefined;
  let loadNotes: Promise<{ cell: number; message: string }[]> | undefined;
  /** Why no function can be called: the process cannot start, or its top-level code leaves it too busy to answer. */
  let fatal: { message: string; busy: boolean } | undefined;
  let nextId = 1;

  function start(): Live {
    const sandbox = sandboxCommand([
      // NOTE: the permission model checks real paths, so a symlinked node_modules (a Gradescope or pnpm layout) is resolved first.
      "--experimental-permission", ...readable().map((dir) => `--allow-fs-read=${dir}`),
      // The child loads the course's addon before any learner code, then switches addon loading off.
      ...(addon ? ["--allow-addons"] : []),
      `--max-old-space-size=${limits.memoryMb}`, "--no-warnings", "-e", childJs(),
    ], { memoryMb: limits.dataMb, cpuSeconds: limits.cpuSeconds });
    const proc = spawn(sandbox.command, sandbox.args, {
      cwd: notebookDir, stdio: ["ignore", "ignore", "ignore", "ipc"], serialization: "advanced", env: { PATH: process.env.PATH ?? "" },
      detached: true, uid: sandbox.uid, gid: sandbox.gid,
    });
    if (proc.pid !== undefined) hooks.onSpawn?.(proc.pid);
    const l: Live = { proc, currentCell: 0, loaded: Promise.resolve({ ok: true, errors: [] }) };
    l.loaded = new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const cellClock = () => {
        clearTimeout(timer);
        timer = setTimeout(() => { stop(l); resolve({ ok: false, cell: l.currentCell, reason: `was skipped: its top-level code ran longer than ${limits.loadTimeoutMs / 1000} s` }); }, limits.loadTimeoutMs);
      };
      cellClock();
      proc.on("message", (m: any) => {
        if (m?.type === "ready") proc.send({ type: "load", root: notebookDir, cells: cells.filter((c) => !skipped.has(c.cell)), side: program.sideOutputs, addon });
        else if (m?.type === "cell" && Number.isInteger(m.cell)) { l.currentCell = m.cell; cellClock(); }
        else if (m?.type === "loaded" && Array.isArray(m.errors)) { clearTimeout(timer); l.isLoaded = true; resolve({ ok: true, errors: m.errors.filter(isLoadError) }); }
        else if (m?.type === "result") l.pending?.(m);
        else if (m?.type === "pong") l.pong?.();
      });
      proc.on("exit", (code, signal) => {
        clearTimeout(timer);
        if (!l.isLoaded) resolve({ ok: false, cell: l.currentCell, reason: `was skipped: its top-level code ended the learner's process (${signal ?? `exit code ${code}`})` });
        l.pending?.({ crashed: signal === "SIGKILL" ? "killed" : `exited (${signal ?? code}) — out of memory, or process.exit?` });
        if (live === l) live = undefined;
      });
      proc.on("error", (e) => resolve({ ok: false, cell: 0, reason: `could not start: ${e.message}` }));
    });
    return l;
  }

  /** Whether the process still handles messages once its cells ran: top-level code can leave a loop of promises running. */
  function answersPing(l: Live): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { l.pong = undefined; resolve(false); }, PING_MS);
      l.pong = () => { clearTimeout(timer); l.pong = undefined; resolve(true); };
      l.proc.send({ type: "ping" });
    });
  }

  /** Starts the learner's process, skipping each cell whose top-level code hangs or ends it, until one load completes. */
  async function ensureLoaded(): Promise<Live | undefined> {
    for (;;) {
      if (fatal) return undefined;
      const l = (live ??= start());
      const r = await l.loaded;
      if (r.ok) {
        if (live !== l) return ensureLoaded();
        if (!l.responsive && !(await answersPing(l))) {
          fatal = { message: "the notebook's top-level code keeps the learner's process busy after it ran (a loop of promises or timers?), so no function can be called", busy: true };
          stop(l);
          return undefined;
        }
        return (l.responsive = true), l;
      }
      if (r.cell === 0 || skipped.has(r.cell)) { fatal = { message: r.cell === 0 ? r.reason : `cell ${r.cell} ${r.reason}`, busy: false }; return undefined; }
      skipped.set(r.cell, r.reason);
      if (skipped.size > MAX_SKIPPED_CELLS) {
        fatal = { message: `more than ${MAX_SKIPPED_CELLS} cells' top-level code hung or ended the process (cells ${[...skipped.keys()].join(", ")}), so the notebook was not run further`, busy: true };
        return undefined;
      }
    }
  }

  function stop(l: Live) {
    // The whole process group: prlimit, unshare and node (and anything node managed to start).
    try { process.kill(-l.proc.pid!, "SIGKILL"); } catch { l.proc.kill("SIGKILL"); }
    if (live === l) live = undefined;
  }

  return {
    loadErrors: () => (loadNotes ??= (async () => {
      const l = await ensureLoaded();
      if (!l) return fatal!.busy ? [] : [{ cell: 0, message: fatal!.message }];
      const r = (await l.loaded) as Extract<LoadOutcome, { ok: true }>;
      return [...[...skipped].map(([cell, message]) => ({ cell, message })), ...r.errors.map((e) => ({ cell: e.cell, message: `raised an error when run: ${e.message}` }))].sort((a, b) => a.cell - b.cell);
    })()),
    async call(name, args, timeoutMs, target = { kind: "function" }) {
      const l = await ensureLoaded();
      if (!l) return { kind: fatal!.busy ? "timeout" : "loadFailed", message: fatal!.message };
      const id = nextId++;
      const m: any = await new Promise((resolve) => {
        const timer = setTimeout(() => { l.pending = undefined; stop(l); resolve({ timeout: true }); }, timeoutMs);
        l.pending = (msg) => { if (msg.crashed || msg.id === id) { clearTimeout(timer); l.pending = undefined; resolve(msg); } };
        l.proc.send({ type: "call", id, name, args, target });
      });
      if (m.timeout) return { kind: "timeout", message: `timed out after ${timeoutMs} ms — an infinite loop?` };
      if (m.crashed) return { kind: "crashed", message: `the learner process ${m.crashed}` };
      if ("value" in m) return tooBig(m.value) ? { kind: "wrongType", message: `returned more than ${MAX_NUMBERS.toLocaleString("en")} numbers` } : { kind: "value", value: m.value };
      if (typeof m.missing === "string") return { kind: "missing", message: m.missing };
      if (m.unanswered) return { kind: "unanswered", message: "not answered yet" };
      if (typeof m.threw === "string") return { kind: "threw", message: m.threw.slice(0, 500) };
      return { kind: "wrongType", message: typeof m.wrongType === "string" ? m.wrongType.slice(0, 500) : "sent a reply the grader does not understand" };
    },
    close: () => { if (live) stop(live); },
  };
}

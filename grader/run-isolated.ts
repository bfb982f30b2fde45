// Stage 4 — run isolated: the learner's compiled cells run in a child Node process with
// Node's permission model (reads limited to node_modules and the public data/, no child processes, no workers,
// nothing written), a memory cap and a wall-clock limit per call. A call that hangs kills
// the child; the next call starts a fresh one, so one runaway function costs only its part.
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { projectRoot } from "./expected";
import type { CheckedProgram } from "./typecheck";

export type CallOutcome =
  | { kind: "value"; value: unknown }
  | { kind: "threw" | "wrongType" | "missing" | "timeout" | "crashed" | "loadFailed" | "unanswered"; message: string };

/** A function by name, a method of a fresh instance ("Class.method", state in args[0]), or an answer constant. */
export type CallTarget = { kind: "function" } | { kind: "method"; fields: string[] } | { kind: "answer" };

export interface RunLimits { loadTimeoutMs: number; memoryMb: number }
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

interface Live { proc: ChildProcess; isLoaded?: boolean; loaded: Promise<{ cell: number; message: string }[]>; currentCell: number; pending?: (m: any) => void }

/** The course's BLAS addon (built by `npm install`), if there is one: the learner's process preloads it. */
const addonFor = (notebookDir: string) => {
  const file = path.join(notebookDir, "course", "native", "build", "course_blas.node");
  return fs.existsSync(file) ? file : undefined;
};

export function createIsolated(program: CheckedProgram, notebookDir: string, limits: RunLimits): Isolated {
  const addon = addonFor(notebookDir);
  const cells = program.cells.filter((c) => c.js !== undefined).map((c) => ({ cell: c.cell, js: c.js!, topLevelAwait: c.topLevelAwait }));
  let live: Live | undefined;
  let fatal: string | undefined; // top-level code that hangs or kills the process is not retried
  let nextId = 1;

  function start(): Live {
    const proc = spawn(process.execPath, [
      // NOTE: the permission model checks real paths, so a symlinked node_modules (a Gradescope or pnpm layout) is resolved first.
      "--experimental-permission", ...readable().map((dir) => `--allow-fs-read=${dir}`),
      // The child loads the course's addon before any learner code, then switches addon loading off.
      ...(addon ? ["--allow-addons"] : []),
      `--max-old-space-size=${limits.memoryMb}`, "--no-warnings", "-e", childJs(),
    ], { cwd: notebookDir, stdio: ["ignore", "ignore", "ignore", "ipc"], serialization: "advanced", env: { PATH: process.env.PATH ?? "" } });
    const l: Live = { proc, currentCell: 0, loaded: Promise.resolve([]) };
    l.loaded = new Promise((resolve) => {
      const die = (message: string) => { fatal ??= `cell ${l.currentCell}: ${message}`; resolve([{ cell: l.currentCell, message }]); };
      const timer = setTimeout(() => { stop(l); die(`timed out after ${limits.loadTimeoutMs} ms running top-level code`); }, limits.loadTimeoutMs);
      proc.on("message", (m: any) => {
        if (m.type === "ready") proc.send({ type: "load", root: notebookDir, cells, side: program.sideOutputs, addon });
        else if (m.type === "cell") l.currentCell = m.cell;
        else if (m.type === "loaded") { clearTimeout(timer); l.isLoaded = true; resolve(m.errors); }
        else if (m.type === "result") l.pending?.(m);
      });
      proc.on("exit", (code, signal) => {
        clearTimeout(timer);
        if (!l.isLoaded) die(`the learner process died (${signal ?? `exit code ${code}`}) running top-level code`);
        l.pending?.({ crashed: signal === "SIGKILL" ? "killed" : `exited (${signal ?? code}) — out of memory, or process.exit?` });
        if (live === l) live = undefined;
      });
      proc.on("error", () => undefined);
    });
    return l;
  }
  function stop(l: Live) { l.proc.kill("SIGKILL"); if (live === l) live = undefined; }
  const ensure = () => (live ??= start());

  return {
    loadErrors: () => ensure().loaded,
    async call(name, args, timeoutMs, target = { kind: "function" }) {
      if (fatal) return { kind: "loadFailed", message: fatal };
      const l = ensure();
      await l.loaded;
      if (fatal) return { kind: "loadFailed", message: fatal };
      const id = nextId++;
      const m: any = await new Promise((resolve) => {
        const timer = setTimeout(() => { l.pending = undefined; stop(l); resolve({ timeout: true }); }, timeoutMs);
        l.pending = (msg) => { if (msg.crashed || msg.id === id) { clearTimeout(timer); l.pending = undefined; resolve(msg); } };
        l.proc.send({ type: "call", id, name, args, target });
      });
      if (m.timeout) return { kind: "timeout", message: `timed out after ${timeoutMs} ms — an infinite loop?` };
      if (m.crashed) return { kind: "crashed", message: `the learner process ${m.crashed}` };
      if ("value" in m) return { kind: "value", value: m.value };
      if (m.missing) return { kind: "missing", message: m.missing };
      if (m.unanswered) return { kind: "unanswered", message: "not answered yet" };
      if (m.threw) return { kind: "threw", message: m.threw };
      return { kind: "wrongType", message: m.wrongType };
    },
    close: () => { if (live) stop(live); },
  };
}

// What learner code must not reach, taken away before it runs. The OS sandbox is the real wall
// where it exists (see docs/security.md); this makes the errors clear and covers systems without it.
import { create, defineProperty, freeze, fromEntries, nodeRequire, objectKeys, reallyExit } from "./intrinsics";
import { describeError } from "./errors";

/** The course's BLAS addon, loaded before any learner code; afterwards no addon can be loaded. */
export interface Addon {
  path: string;
  exports: unknown;
}

export function loadAddonThenLock(file: string | undefined): Addon | undefined {
  let addon: Addon | undefined;
  if (file) {
    try {
      addon = { path: file, exports: freeze(nodeRequire(file)) };
    } catch {
      addon = undefined;
    }
  }
  // NOTE: Node's permission model checks no file permission in dlopen, so with --allow-addons any
  // .node file on disk could be loaded: after ours, loading is switched off for good.
  const refuse = () => {
    throw new Error("loading native addons is not allowed while grading");
  };
  defineProperty(process, "dlopen", { value: refuse, writable: false, configurable: false });
  return addon;
}

export function lockDown(): void {
  const refuse = (what: string) => () => {
    throw new Error(`${what} is not available while grading`);
  };
  const global = globalThis as Record<string, unknown>;
  for (const g of ["require", "module", "exports", "__filename", "__dirname"]) delete global[g];
  for (const g of ["fetch", "WebSocket", "EventSource"])
    if (g in globalThis) defineProperty(globalThis, g, { value: refuse(g), writable: false, configurable: false });
  const own = process.pid,
    kill = process.kill.bind(process);
  const lock = (name: string, value: unknown) =>
    defineProperty(process, name, { value, writable: false, configurable: false });
  lock("getBuiltinModule", refuse("process.getBuiltinModule"));
  lock("kill", (pid: number, signal?: string | number) =>
    pid === own ? kill(pid, signal) : refuse("signalling another process")(),
  );
  lock("_kill", refuse("process._kill"));
  // No way to a file descriptor: stdio streams (whose `fd` can be repointed at the grader's pipe),
  // the handle lists (which hold the pipe's socket), and exit stays exit.
  const sink = freeze({
    write: () => true,
    end: () => undefined,
    on: () => sink,
    once: () => sink,
    isTTY: false,
    columns: 80,
    fd: -1,
  });
  for (const s of ["stdout", "stderr", "stdin"]) defineProperty(process, s, { get: () => sink, configurable: false });
  lock("openStdin", refuse("process.openStdin"));
  lock("_getActiveHandles", refuse("process._getActiveHandles"));
  lock("_getActiveRequests", refuse("process._getActiveRequests"));
  lock("reallyExit", reallyExit);
  hideHostLayout(lock, refuse);
  const quiet = freeze(
    create(null, fromEntries(objectKeys(console).map((k) => [k, { value: () => undefined, enumerable: true }]))),
  );
  defineProperty(globalThis, "console", { value: quiet, writable: false, configurable: false });
}

/**
 * The grading host's layout is not the learner's to read (a cell could throw it into the notes):
 * the working folder, node's path, its arguments and environment, the diagnostic report, and the
 * folders in stack traces. NOTE: the grader also cuts any absolute path out of what comes back
 * (replies.ts hidePaths); these only make the plain ways fail.
 */
function hideHostLayout(lock: (name: string, value: unknown) => void, refuse: (what: string) => () => never): void {
  lock("cwd", () => "/notebooks");
  lock("chdir", refuse("process.chdir"));
  lock("execPath", "node");
  lock("argv", freeze(["node"]));
  lock("execArgv", freeze([]));
  lock("env", freeze(create(null)));
  lock("mainModule", undefined);
  lock("report", undefined);
  lock("config", undefined);
  // NOTE: argv0 (node as the sandbox ran it, a path) cannot be redefined: hidePaths cuts it on the way out.
  const bare = (file: string | null | undefined) => (file ? file.slice(file.lastIndexOf("/") + 1) : "<anonymous>");
  const frame = (f: NodeJS.CallSite) =>
    `    at ${f.getFunctionName() ?? "<anonymous>"} (${bare(f.getFileName())}:${f.getLineNumber()}:${f.getColumnNumber()})`;
  defineProperty(Error, "prepareStackTrace", {
    value: (e: unknown, frames: NodeJS.CallSite[]) => [describeError(e).message, ...frames.map(frame)].join("\n"),
    writable: false,
    configurable: false,
  });
}

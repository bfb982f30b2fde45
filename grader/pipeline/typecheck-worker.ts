// Runs in a worker thread (see typecheck.ts): tslab's converter, created for the notebooks' folder,
// converting one cell at a time on request. The grader can terminate the thread at any moment (a
// notebook whose type-check runs too long), and a converter that throws is replaced before the
// next cell: its state (file watchers, the last program) may be broken.
// Self-contained but for ./top-level-names: typecheck-thread.ts transpiles both, links them and starts the
// thread with `eval: true`.
const { parentPort, workerData } = require("worker_threads") as typeof import("worker_threads");
const { dir, converterPath, typescriptPath, conversionsPath } = workerData as {
  dir: string;
  converterPath: string;
  typescriptPath: string;
  conversionsPath: string;
};
import { topLevelNames } from "./top-level-names";
const tsForTslab = require(typescriptPath) as typeof import("typescript");
const { createConverter } = require(converterPath) as typeof import("tslab/dist/converter");
const { entryOf } = require(conversionsPath) as typeof import("../../notebooks/kernel/conversions.js");
type Converter = ReturnType<typeof createConverter>;

/** tslab's converter takes its folder from ts.sys.getCurrentDirectory(): in this thread, it is `dir` (no chdir, which workers cannot do). */
function make(): Converter {
  const original = tsForTslab.sys.getCurrentDirectory;
  tsForTslab.sys.getCurrentDirectory = () => dir;
  try {
    return createConverter();
  } finally {
    tsForTslab.sys.getCurrentDirectory = original;
  }
}

let conv = make();
parentPort!.on("message", (m: { id: number; prevDecl: string; source: string } | { close: true }) => {
  if ("close" in m) {
    conv.close();
    process.exit(0);
  }
  try {
    const r = conv.convert(m.prevDecl, m.source);
    parentPort!.postMessage({
      id: m.id,
      ok: true,
      result: {
        ...entryOf(r),
        declares: topLevelNames(tsForTslab, m.source),
        sideOutputs: (r.sideOutputs ?? []).map((s) => ({ path: s.path, data: s.data })),
      },
    });
  } catch (e) {
    try {
      conv.close();
    } catch {
      /* already broken */
    }
    conv = make();
    parentPort!.postMessage({ id: m.id, ok: false, message: String((e as Error)?.message ?? e).slice(0, 200) });
  }
});
// The thread's id in the OS, so the grader can read its CPU time (/proc/self/task/<tid>): its limit counts that, not the clock.
const tid = (() => {
  try {
    return Number(/task\/(\d+)$/.exec(require("fs").readlinkSync("/proc/thread-self"))?.[1]) || undefined;
  } catch {
    return undefined;
  }
})();
parentPort!.postMessage({ ready: true, tid });
export {};

// The grader's side of the sandbox: starts the learner's process (OS sandbox, limits, CPU meter),
// sends it the compiled cells and calls, and re-checks every reply. The learner's side is child/.
// May import: child/ (through its index). Knows nothing of sections or solutions: it is handed the
// folders the learner may read.
export { createBudget, realClock, type Budget, type Clock } from "./budget";
export { type FromChild, type ToChild, type WrongTypeReason } from "./child";
export { threadCpuMs } from "./cpu-meter";
export { MachineBusy } from "./errors";
export { encodeFrame } from "./frames";
export { type SpawnFn } from "./learner-process";
export { type CheckedCell, type CheckedProgram, type Diagnostic } from "./program";
export {
  DEFAULT_RUN_LIMITS,
  createIsolated,
  type CallOutcome,
  type CallTarget,
  type Isolated,
  type RunLimits,
} from "./run-isolated";
export { sandboxReport } from "./sandbox";
export { scaledMs, timeScale } from "./time-scale";

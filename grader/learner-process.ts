// One learner process as the grader talks to it: started inside the sandbox with two private pipes
// (fd 3 requests, fd 4 answers), read frame by frame with a size cap, and seen as a queue of events
// that the grader awaits one at a time, each with its own time limit. Nothing it sends is trusted:
// a frame that is too large or unreadable ends the process and is reported as a violation.
import type { ChildProcess, SpawnOptions } from "child_process";
import type { Clock } from "./budget";
import { createFrameReader, encodeFrame } from "./frames";
import { MAX_FRAME_BYTES, type ToChild } from "./protocol";

export type LearnerEvent =
  | { kind: "message"; message: unknown }
  | { kind: "exit"; description: string; killed: boolean }
  | { kind: "timeout" }
  | { kind: "violation"; why: string };

export interface LearnerProcess {
  readonly pid: number | undefined;
  send(m: ToChild): void;
  /** The next event, or a timeout after `ms`. After the process ends, every call returns its exit. */
  next(ms: number): Promise<LearnerEvent>;
  kill(): void;
}

export type SpawnFn = (command: string, args: string[], options: SpawnOptions) => ChildProcess;

export interface LearnerProcessDeps {
  spawn: SpawnFn;
  clock: Clock;
  /** Ends the process and everything it started (its process group). */
  killGroup: (proc: ChildProcess) => void;
}

export function startLearnerProcess(
  command: string,
  args: string[],
  options: SpawnOptions,
  deps: LearnerProcessDeps,
): LearnerProcess {
  const proc = deps.spawn(command, args, { ...options, stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] });
  const queue: LearnerEvent[] = [];
  let ended: LearnerEvent | undefined;
  let waiter: ((e: LearnerEvent) => void) | undefined;
  let killedByUs = false;
  const push = (e: LearnerEvent) => {
    if (waiter) {
      const w = waiter;
      waiter = undefined;
      w(e);
    } else queue.push(e);
  };
  const kill = () => {
    if (killedByUs || ended) return;
    killedByUs = true;
    deps.killGroup(proc);
  };
  const reader = createFrameReader(
    MAX_FRAME_BYTES,
    (message) => push({ kind: "message", message }),
    (why) => {
      kill();
      push({ kind: "violation", why: `sent the grader ${why}` });
    },
  );
  const out = proc.stdio[4] as NodeJS.ReadableStream | null,
    input = proc.stdio[3] as NodeJS.WritableStream | null;
  out?.on("data", (chunk: Buffer) => reader.push(chunk));
  out?.on("error", () => undefined);
  input?.on("error", () => undefined); // writing to a process that just died
  proc.on("exit", (code, signal) => {
    ended = {
      kind: "exit",
      killed: killedByUs,
      description: signal === "SIGKILL" ? "was killed" : `exited (${signal ?? `exit code ${code}`})`,
    };
    push(ended);
  });
  proc.on("error", (e) => {
    ended = { kind: "exit", killed: false, description: `could not start: ${e.message}` };
    push(ended);
  });
  return {
    pid: proc.pid,
    send: (m) => {
      if (!ended) input?.write(encodeFrame(m));
    },
    next(ms) {
      const queued = queue.shift();
      if (queued) return Promise.resolve(queued);
      if (ended) return Promise.resolve(ended);
      return new Promise((resolve) => {
        const timer = deps.clock.setTimeout(
          () => {
            waiter = undefined;
            resolve({ kind: "timeout" });
          },
          Math.max(0, ms),
        );
        waiter = (e) => {
          deps.clock.clearTimeout(timer);
          resolve(e);
        };
      });
    },
    kill,
  };
}

/** The default: SIGKILL to the whole process group (prlimit, unshare and node, and anything node started). */
export function killProcessGroup(proc: ChildProcess): void {
  try {
    process.kill(-proc.pid!, "SIGKILL");
  } catch {
    proc.kill("SIGKILL");
  }
}

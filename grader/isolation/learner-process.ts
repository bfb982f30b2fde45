// One learner process as the grader talks to it: started inside the sandbox with two private pipes
// (fd 3 requests, fd 4 answers), read frame by frame with a size cap, and seen as a queue of events
// that the grader awaits one at a time, each with its own limit of the learner's time (cpu-meter.ts:
// its CPU and its own idling, read from the OS) and a backstop by the clock. Nothing it sends is
// trusted: a frame that is too large or unreadable ends the process and is reported as a violation.
import type { ChildProcess, SpawnOptions } from "child_process";
import type { Clock } from "./budget";
import { learnerMs, type CpuMeter, type Usage } from "./cpu-meter";
import { createFrameReader, encodeFrame } from "./frames";
import { MAX_FRAME_BYTES, type ToChild } from "./child";

export type LearnerEvent =
  | { kind: "message"; message: unknown }
  | { kind: "exit"; description: string; killed: boolean }
  /** The learner's time reached the wait's limit: its code computed or idled that long. */
  | { kind: "timeout" }
  /** The clock reached the backstop while the learner's time was under its limit: the machine was too busy to judge. */
  | { kind: "overloaded" }
  | { kind: "violation"; why: string };
/** An event and the learner's time the wait for it took. */
export type Waited = LearnerEvent & { used: Usage };

/** A wait: `ms` of the learner's time, and at most `backstopMs` by the clock. */
export interface WaitLimit {
  ms: number;
  backstopMs: number;
}

export interface LearnerProcess {
  readonly pid: number | undefined;
  send(m: ToChild): void;
  /** The next event, or a timeout or an overload by `limit`. After the process ends, every call returns its exit. */
  next(limit: WaitLimit): Promise<Waited>;
  kill(): void;
}

export type SpawnFn = (command: string, args: string[], options: SpawnOptions) => ChildProcess;

export interface LearnerProcessDeps {
  spawn: SpawnFn;
  clock: Clock;
  /** The learner's time, from the OS (cpu-meter.ts). */
  meter: CpuMeter;
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
  return new PipedProcess(proc, deps);
}

class PipedProcess implements LearnerProcess {
  private readonly queue: LearnerEvent[] = [];
  private ended: LearnerEvent | undefined;
  private waiter: ((e: LearnerEvent) => void) | undefined;
  private killedByUs = false;
  private readonly input: NodeJS.WritableStream | null;

  constructor(
    private readonly proc: ChildProcess,
    private readonly deps: LearnerProcessDeps,
  ) {
    const reader = createFrameReader(
      MAX_FRAME_BYTES,
      (message) => this.push({ kind: "message", message }),
      (why) => {
        this.kill();
        this.push({ kind: "violation", why: `sent the grader ${why}` });
      },
    );
    const out = proc.stdio[4] as NodeJS.ReadableStream | null;
    this.input = proc.stdio[3] as NodeJS.WritableStream | null;
    out?.on("data", (chunk: Buffer) => reader.push(chunk));
    out?.on("error", () => undefined);
    this.input?.on("error", () => undefined); // writing to a process that just died
    proc.on("exit", (code, signal) => {
      const description = signal === "SIGKILL" ? "was killed" : `exited (${signal ?? `exit code ${code}`})`;
      this.end({ kind: "exit", killed: this.killedByUs, description });
    });
    proc.on("error", (e) => this.end({ kind: "exit", killed: false, description: `could not start: ${e.message}` }));
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  send(m: ToChild): void {
    if (!this.ended) this.input?.write(encodeFrame(m));
  }

  kill(): void {
    if (this.killedByUs || this.ended) return;
    this.killedByUs = true;
    this.deps.killGroup(this.proc);
  }

  next(limit: WaitLimit): Promise<Waited> {
    const { clock, meter } = this.deps;
    const span = meter.span(this.proc.pid);
    const waited = (e: LearnerEvent): Waited => ({ ...e, used: span.read() });
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(waited(queued));
    if (this.ended) return Promise.resolve(waited(this.ended));
    return new Promise((resolve) => {
      let timer: unknown,
        settled = false;
      const settle = (e: LearnerEvent) => {
        if (settled) return;
        settled = true;
        if (this.waiter === settle) this.waiter = undefined;
        clock.clearTimeout(timer);
        resolve(waited(e));
      };
      const poll = () => {
        const u = span.read();
        const left = limit.ms - learnerMs(u),
          wallLeft = limit.backstopMs - u.wallMs;
        if (left > 0 && wallLeft > 0) {
          timer = clock.setTimeout(poll, pollMs(left, wallLeft));
          return;
        }
        // NOTE: a reply already in the pipe wins over the verdict: pipes are read in the event loop's
        // poll phase, which comes before setImmediate's callbacks.
        setImmediate(() => settle({ kind: left <= 0 ? "timeout" : "overloaded" }));
      };
      this.waiter = settle;
      timer = clock.setTimeout(poll, pollMs(limit.ms, limit.backstopMs));
    });
  }

  private end(e: LearnerEvent): void {
    this.ended = e;
    this.push(e);
  }

  private push(e: LearnerEvent): void {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w(e);
    } else this.queue.push(e);
  }
}

/**
 * When to read the meter next: soon enough that a runaway learner overshoots its limit by little (two
 * threads can spend CPU at twice the clock's rate), rarely enough that reading /proc costs nothing.
 */
const pollMs = (learnerLeftMs: number, wallLeftMs: number) => Math.max(1, Math.min(50, learnerLeftMs / 2, wallLeftMs));

/** The default: SIGKILL to the whole process group (prlimit, unshare and node, and anything node started). */
export function killProcessGroup(proc: ChildProcess): void {
  try {
    process.kill(-proc.pid!, "SIGKILL");
  } catch {
    proc.kill("SIGKILL");
  }
}

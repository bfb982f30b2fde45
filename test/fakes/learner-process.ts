// A fake learner process for millisecond specs of run-isolated.ts: `spawn` returns an object shaped
// like a ChildProcess whose fd 3 and fd 4 are in-memory streams speaking the real frame format, and
// whose behaviour is a script. No node is started, no sandbox, no timeouts of real code.
import { EventEmitter } from "events";
import { PassThrough } from "stream";
import * as v8 from "v8";
import { encodeFrame, type FromChild, type SpawnFn, type ToChild } from "../../grader/isolation";

export interface FakeChild {
  /** Sends a message to the grader, as the child-runner would. */
  send(m: FromChild | Record<string, unknown>): void;
  /** Writes raw bytes on the grader's pipe (what a hijacked descriptor would). */
  raw(bytes: Buffer): void;
  /** Ends the process as a crash would (signal or exit code). */
  exit(code: number | null, signal?: NodeJS.Signals | null): void;
}

/** How the fake child answers each request; the default answers like an honest child-runner. */
export type Script = (msg: ToChild, child: FakeChild) => void;

export const honest =
  (values: Record<string, (args: unknown[]) => unknown> = {}): Script =>
  (msg, child) => {
    if (msg.type === "load") {
      for (const c of msg.cells) child.send({ type: "cell", cell: c.cell });
      child.send({ type: "loaded", errors: [] });
    } else if (msg.type === "ping") child.send({ type: "pong", id: msg.id });
    else if (msg.type === "call") {
      const f = values[msg.name];
      child.send({
        type: "result",
        id: msg.id,
        outcome: f ? { kind: "value", value: f(msg.args) } : { kind: "missing", message: "not found" },
      });
    }
  };

/** A spawn whose nth fake child runs `scriptFor(n)`; `starts` counts them, `killed` the ones the grader killed. */
export function fakeSpawn(scriptFor: (start: number) => Script) {
  const stats = { starts: 0, killed: 0, received: [] as ToChild[] };
  const spawn: SpawnFn = () => {
    const start = ++stats.starts;
    const run = scriptFor(start);
    const proc = new EventEmitter() as any;
    const toChild = new PassThrough(),
      toGrader = new PassThrough();
    let alive = true;
    const child: FakeChild = {
      send: (m) => {
        if (alive) toGrader.write(encodeFrame(m));
      },
      raw: (b) => {
        if (alive) toGrader.write(b);
      },
      exit: (code, signal = null) => {
        if (!alive) return;
        alive = false;
        setImmediate(() => proc.emit("exit", code, signal));
      },
    };
    proc.pid = 100000 + start;
    proc.stdio = [null, null, null, toChild, toGrader];
    proc.kill = () => {
      stats.killed++;
      child.exit(null, "SIGKILL");
    };
    let pending = Buffer.alloc(0);
    toChild.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
        const n = pending.readUInt32BE(0),
          msg = v8.deserialize(pending.subarray(4, 4 + n)) as ToChild;
        pending = pending.subarray(4 + n);
        stats.received.push(msg);
        if (alive) run(msg, child);
      }
    });
    setImmediate(() => child.send({ type: "ready" }));
    return proc;
  };
  return { spawn, stats, killGroup: (proc: any) => proc.kill() };
}

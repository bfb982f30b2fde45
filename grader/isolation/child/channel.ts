// The learner process's side of the two private pipes (see ../protocol.ts): frames out on fd 4,
// written synchronously, and frames in on fd 3. Learner code is never given either descriptor.
import type { FromChild, ToChild } from "./protocol";
import {
  bufferAlloc,
  bufferConcat,
  deserialize,
  nodeRequire,
  readU32,
  reallyExit,
  serialize,
  subarray,
  writeSync,
  writeU32,
} from "./intrinsics";

const net = nodeRequire("net") as typeof import("net");
const IN_FD = 3,
  OUT_FD = 4;

/** One frame, written synchronously: a "cell" message is out before the cell's code runs (even one that never returns). */
export function send(m: FromChild): void {
  const body = serialize(m),
    head = bufferAlloc(4);
  writeU32(head, body.length, 0);
  for (const b of [head, body]) for (let off = 0; off < b.length;) off += writeSync(OUT_FD, b, off);
}

/**
 * Requests, one frame each, handed to `handle` as they arrive (the grader is trusted: no defensive
 * reading needed here). When the grader is gone, so is this process, whatever learner code did to
 * process.exit.
 */
export function receive(handle: (m: ToChild) => void): void {
  let pending = bufferAlloc(0);
  const input = new net.Socket({ fd: IN_FD, readable: true, writable: false });
  input.on("data", (chunk: Buffer) => {
    pending = bufferConcat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + readU32(pending, 0)) {
      const length = readU32(pending, 0);
      const msg = deserialize(subarray(pending, 4, 4 + length)) as ToChild;
      pending = subarray(pending, 4 + length);
      handle(msg);
    }
  });
  input.on("end", () => reallyExit(0));
  input.on("error", () => reallyExit(0));
}

// Length-prefixed frames of V8-serialized values (see protocol.ts), read defensively: a frame over
// the size limit, or one that does not deserialize, is reported once and nothing after it is read.
import * as v8 from "v8";

/** One frame: 4-byte big-endian length, then the serialized value. */
export function encodeFrame(value: unknown): Buffer {
  const body = v8.serialize(value);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

export interface FrameReader {
  /** Feed bytes as they arrive; calls onFrame per whole frame, onError once on a bad one. */
  push(chunk: Buffer): void;
}

export function createFrameReader(
  maxBytes: number,
  onFrame: (value: unknown) => void,
  onError: (why: string) => void,
): FrameReader {
  let buffered: Buffer[] = [];
  let size = 0;
  let failed = false;
  const fail = (why: string) => {
    failed = true;
    buffered = [];
    size = 0;
    onError(why);
  };
  return {
    push(chunk) {
      if (failed) return;
      buffered.push(chunk);
      size += chunk.length;
      while (!failed && size >= 4) {
        const all = buffered.length === 1 ? buffered[0] : Buffer.concat(buffered, size);
        const length = all.readUInt32BE(0);
        if (length > maxBytes)
          return fail(`a message of ${(length / 1048576).toFixed(1)} MB, over the ${maxBytes / 1048576} MB limit`);
        if (all.length < 4 + length) {
          buffered = [all];
          return;
        }
        const rest = all.subarray(4 + length);
        buffered = rest.length ? [rest] : [];
        size = rest.length;
        let value: unknown;
        try {
          value = v8.deserialize(all.subarray(4, 4 + length));
        } catch {
          return fail("a message the grader cannot read");
        }
        onFrame(value);
      }
    },
  };
}

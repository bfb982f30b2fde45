// The messages between the grader (run-isolated.ts) and the learner's process (child-runner.ts).
// They travel on two private pipes that learner code is never given: fd 3 carries requests to the
// child, fd 4 its answers. Each message is one frame: a 4-byte big-endian length, then the message
// in V8's serialization (what Node's "advanced" IPC uses: NaN, ±Infinity and −0 survive).
// The child imports these types only (`import type`), so it stays one self-contained file.

/** A code cell as the child runs it. */
export interface ChildCell {
  cell: number;
  js: string;
  topLevelAwait: boolean;
}

/** A function by name, a method of a fresh instance ("Class.method", state in args[0]), or an answer constant. */
export type CallTarget = { kind: "function" } | { kind: "method"; fields: string[] } | { kind: "answer" };

export type ToChild =
  | { type: "load"; root: string; cells: ChildCell[]; side: { path: string; data: string }[]; addon?: string }
  | { type: "call"; id: number; name: string; args: unknown[]; target: CallTarget }
  | { type: "ping"; id: number };

/**
 * Why a value is not accepted, as a code the grader can word for public and hidden cases alike;
 * `detail` is learner-controlled text (a class or key name) shown for public cases only.
 */
export type WrongTypeReason =
  | "proxy"
  | "promise"
  | "getter"
  | "holes"
  | "symbol-keys"
  | "instance"
  | "array-subclass"
  | "typed-array-subclass"
  | "too-many-numbers"
  | "too-deep"
  | "not-a-number"
  | "broken-ndarray"
  | "answer-form";

/** What a thrown value was: its constructor's name (when it is a standard error) and its message. */
export interface Thrown {
  name: string;
  message: string;
}

export type Outcome =
  | { kind: "value"; value: unknown }
  | { kind: "threw"; error: Thrown }
  | { kind: "missing"; message: string }
  | { kind: "wrongType"; reason: WrongTypeReason; message: string; detail?: string }
  | { kind: "unanswered" };

export type FromChild =
  | { type: "ready" }
  | { type: "startFailed"; message: string }
  | { type: "cell"; cell: number }
  | { type: "loaded"; errors: { cell: number; message: string }[] }
  | { type: "result"; id: number; outcome: Outcome }
  | { type: "pong"; id: number };

/** The largest frame the grader reads (2,000,000 numbers serialize to ≈ 18 MB). */
export const MAX_FRAME_BYTES = 32 * 1024 * 1024;
/** The longest error message kept from the learner's process. */
export const MAX_MESSAGE_CHARS = 300;

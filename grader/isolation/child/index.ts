// The learner's process: bundled into one script (../child-bundle.ts) and run inside the sandbox.
// protocol.ts is the contract both sides import. Imports nothing outside this folder at run time.
export {
  MAX_FRAME_BYTES,
  MAX_MESSAGE_CHARS,
  type CallTarget,
  type ChildCell,
  type FromChild,
  type Outcome,
  type ToChild,
  type WrongTypeReason,
} from "./protocol";

// What the learner's process needs of JavaScript and Node, captured when it starts, before any
// learner code runs: a learner who patches Object, Array, Buffer or their prototypes changes their
// own results, never how results travel to the grader.
import * as util from "util";

/** Node's own require, kept before the lockdown removes it. */
export const nodeRequire = require;
const fs = nodeRequire("fs") as typeof import("fs"),
  v8 = nodeRequire("v8") as typeof import("v8");

/** `method.call(self, …args)` without going through a `call` a learner could replace. */
const uncurry = <S, A extends unknown[], R>(f: (this: S, ...a: A) => R) =>
  Function.prototype.call.bind(f) as unknown as (self: S, ...a: A) => R;

export const {
  getPrototypeOf,
  getOwnPropertyDescriptor,
  getOwnPropertyDescriptors,
  getOwnPropertySymbols,
  keys: objectKeys,
  defineProperty,
  freeze,
  create,
  fromEntries,
} = Object;
export const { isArray } = Array;
export const ArrayCtor = Array,
  ARRAY_PROTO = Array.prototype,
  OBJECT_PROTO = Object.prototype;
export const TYPED_PROTOS: object[] = [Float64Array.prototype, Float32Array.prototype];
export const { isProxy, isPromise, isFloat64Array, isFloat32Array } = util.types;

export const serialize: (v: unknown) => Buffer = v8.serialize,
  deserialize: (b: Buffer) => unknown = v8.deserialize;
export const writeSync: (fd: number, b: Buffer, offset?: number) => number = fs.writeSync;
export const bufferAlloc = Buffer.alloc,
  bufferConcat = Buffer.concat;
export const writeU32 = uncurry<Buffer, [number, number], number>(Buffer.prototype.writeUInt32BE);
export const readU32 = uncurry<Buffer, [number], number>(Buffer.prototype.readUInt32BE);
export const subarray = uncurry<Buffer, [number, number?], Buffer>(Buffer.prototype.subarray);

/** Node's exit that skips 'exit' handlers: not in its types, it is on every process object. */
export const reallyExit: (code: number) => never = (
  process as unknown as { reallyExit(code: number): never }
).reallyExit.bind(process);

export const ERRORS = [
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError,
].map((E) => ({ proto: E.prototype as object, name: E.name }));

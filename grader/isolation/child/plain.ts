// Learner values become plain numbers, arrays and records — what the grader receives — or a reason
// why they cannot. Nothing here calls learner code: no getters, no valueOf, no learner-settable field.
import type { Outcome, WrongTypeReason } from "./protocol";
import { dataField } from "./errors";
import {
  ARRAY_PROTO,
  ArrayCtor,
  create,
  freeze,
  getOwnPropertyDescriptor,
  getOwnPropertyDescriptors,
  getOwnPropertySymbols,
  getPrototypeOf,
  isArray,
  isFloat32Array,
  isFloat64Array,
  isPromise,
  isProxy,
  OBJECT_PROTO,
  objectKeys,
  TYPED_PROTOS,
} from "./intrinsics";

/** Why a learner value is refused; `detail` is learner-controlled text (shown for public cases only). */
class Refused extends Error {
  constructor(
    readonly reason: WrongTypeReason,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}
const refuse = (reason: WrongTypeReason, message: string, detail?: string): never => {
  throw new Refused(reason, message, detail);
};

const MAX_VALUES = 2_000_000;
let budget = 0; // numbers left for the value being converted (MAX_VALUES each)

/** The NDArray class and its `data` getter as the course defines them, frozen before learner code can patch them. */
let trusted: { proto: object; data: () => unknown } | undefined;
export function trustNDArray(cls: { prototype: object }): void {
  const data = getOwnPropertyDescriptor(cls.prototype, "data")?.get;
  if (!data) return;
  // NOTE: the getter reads private fields (a lazy product's producer is course code), but it looks up
  // the class's statics and the operands' `data`: freezing both keeps learner code out of it.
  freeze(cls.prototype);
  freeze(cls);
  trusted = { proto: cls.prototype, data };
}

/** mathjs's DenseMatrix, of each mathjs learner code (or a case's matrix) loaded: never loaded for this. */
interface MathJs {
  DenseMatrix: { prototype: { toArray(this: object): unknown } };
}
let mathjsLoaded: () => MathJs[] = () => [];
export const watchMathjs = (loaded: () => unknown[]): void => {
  mathjsLoaded = loaded as () => MathJs[];
};

/** An NDArray as nested rows, read through the course's own getter; anything that only looks like one is refused. */
function ndRows(v: object): number[][] {
  const rows = dataField(v, "rows"),
    cols = dataField(v, "cols");
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || (rows as number) < 0 || (cols as number) < 0)
    return refuse("broken-ndarray", "an NDArray with a broken shape");
  const [r, c] = [rows as number, cols as number];
  let data: unknown;
  try {
    data = trusted!.data.call(v);
  } catch {
    return refuse("broken-ndarray", "an NDArray whose values cannot be read (not made by the course's functions?)");
  }
  if (!isFloat64Array(data) || getPrototypeOf(data) !== TYPED_PROTOS[0] || data.length !== r * c)
    return refuse("broken-ndarray", "an NDArray whose values do not match its shape");
  if ((budget -= r * c) < 0) return refuse("too-many-numbers", `more than ${MAX_VALUES} numbers`);
  const out = new ArrayCtor<number[]>(r);
  for (let i = 0; i < r; i++) {
    const row = (out[i] = new ArrayCtor<number>(c));
    for (let j = 0; j < c; j++) row[j] = data[i * c + j];
  }
  return out;
}

function toPlain(v: unknown, depth = 0): unknown {
  if (depth === 0) budget = MAX_VALUES;
  if (--budget < 0) return refuse("too-many-numbers", `more than ${MAX_VALUES} numbers`);
  if (typeof v === "number") return v;
  if (depth > 8) return refuse("too-deep", "values nested more than 8 deep");
  if (typeof v !== "object" || v === null) return refuse("not-a-number", `a ${v === null ? "null" : typeof v}`);
  if (isProxy(v)) return refuse("proxy", "a Proxy");
  if (isPromise(v)) return refuse("promise", "a Promise — the function should not be async");
  const proto = getPrototypeOf(v);
  for (const mathjs of mathjsLoaded())
    if (proto === mathjs.DenseMatrix.prototype) return toPlain(mathjs.DenseMatrix.prototype.toArray.call(v), depth);
  if (isFloat64Array(v) || isFloat32Array(v)) {
    if (!TYPED_PROTOS.includes(proto)) return refuse("typed-array-subclass", "a typed-array subclass");
    if ((budget -= v.length) < 0) return refuse("too-many-numbers", `more than ${MAX_VALUES} numbers`);
    const out = new ArrayCtor<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  }
  if (trusted && proto === trusted.proto) return ndRows(v);
  if (!isArray(v)) return record(v, proto, depth);
  if (proto !== ARRAY_PROTO) return refuse("array-subclass", "an array subclass");
  const n = v.length;
  if (n > budget) return refuse("too-many-numbers", `more than ${MAX_VALUES} numbers`);
  const out = new ArrayCtor<unknown>(n);
  for (let i = 0; i < n; i++) {
    const d = getOwnPropertyDescriptor(v, i);
    if (!d) return refuse("holes", "an array with holes");
    if (!("value" in d)) return refuse("getter", "an array with a getter");
    out[i] = toPlain(d.value, depth + 1);
  }
  return out;
}

/** The class's name, read through data properties only (a `static get name()` or a Proxy must not run). */
function className(proto: object): string {
  const ctor = dataField(proto, "constructor");
  const name = typeof ctor === "function" && !isProxy(ctor) ? getOwnPropertyDescriptor(ctor, "name")?.value : undefined;
  return typeof name === "string" && name ? name.slice(0, 60) : "a class";
}

/** A plain record ({ weights, losses }): own data properties only, each a plain value. */
function record(v: object, proto: object | null, depth: number): Record<string, unknown> {
  if (proto !== OBJECT_PROTO && proto !== null) return refuse("instance", "an instance of a class", className(proto));
  if (getOwnPropertySymbols(v).length) return refuse("symbol-keys", "an object with symbol keys");
  const out: Record<string, unknown> = create(null),
    descriptors = getOwnPropertyDescriptors(v);
  for (const k of objectKeys(descriptors)) {
    const d = descriptors[k];
    if (!("value" in d)) return refuse("getter", "an object with a getter", k.slice(0, 60));
    if (d.value === undefined) continue; // left out, as JSON does (`loss` when there are no labels)
    out[k] = toPlain(d.value, depth + 1);
  }
  return out;
}

/** What the function returned, as the grader receives it. */
export function outcomeOf(value: unknown): Outcome {
  try {
    return { kind: "value", value: toPlain(value) };
  } catch (e) {
    if (e instanceof Refused)
      return {
        kind: "wrongType",
        reason: e.reason,
        message: `returned ${e.message}, expected numbers, arrays or records of them`,
        ...(e.detail ? { detail: e.detail } : {}),
      };
    return { kind: "wrongType", reason: "broken-ndarray", message: "returned a value whose parts cannot be read" };
  }
}

/** An answer constant: a number, or a list of choice letters; null means not answered yet. */
export function answerValue(v: unknown): Outcome {
  if (v === undefined) return { kind: "missing", message: "not found" };
  if (v === null) return { kind: "unanswered" };
  if (typeof v === "number") return { kind: "value", value: v };
  if (isArray(v) && !isProxy(v) && getPrototypeOf(v) === ARRAY_PROTO && v.length <= 26) {
    const letters: string[] = [];
    for (let i = 0; i < v.length; i++) {
      const d = getOwnPropertyDescriptor(v, i);
      if (!d || !("value" in d) || typeof d.value !== "string" || d.value.length > 8)
        return { kind: "wrongType", reason: "answer-form", message: "is not a list of letters" };
      letters.push(d.value);
    }
    return { kind: "value", value: letters };
  }
  return {
    kind: "wrongType",
    reason: "answer-form",
    message: `is ${isProxy(v) ? "a Proxy" : typeof v}, expected a number or a list of letters`,
  };
}

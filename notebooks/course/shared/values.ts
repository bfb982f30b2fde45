// Case arguments and results as plain data, shared by the notebook's checks and the grader.
// mathjs and the NDArray module are required lazily (see tensor.ts).
import { load } from "../node";
import type { NDArray } from "../ndarray";
/** ndarray.ts, loaded when a value needs it (see tensor.ts). */
const ndarray = () => load<typeof import("../ndarray")>("./ndarray");
import type { Plain } from "./compare";

/**
 * A case argument as the function receives it. Plain data is copied (a function cannot change
 * the case); markers, anywhere inside it, become live values:
 *   { matrix: rows } → a mathjs matrix;   { nd: rows } → an NDArray;
 *   { fn: "name" }   → the function `name` from `defs` (the learner's, or the solution's).
 */
export function toArg(a: unknown, defs: Record<string, unknown> = {}): unknown {
  if (Array.isArray(a)) return a.map((x) => toArg(x, defs));
  if (!isRecord(a)) return structuredClone(a);
  const keys = Object.keys(a);
  if (keys.length === 1 && keys[0] === "matrix")
    return load<typeof import("mathjs")>("mathjs").matrix(a.matrix as number[][]);
  if (keys.length === 1 && keys[0] === "nd") return ndarray().array(a.nd as number[][]);
  if (keys.length === 1 && keys[0] === "fn") {
    const f = defs[a.fn as string];
    if (typeof f !== "function")
      throw new Error(`function \`${String(a.fn)}\` not found — run the cell that defines it`);
    return f;
  }
  return Object.fromEntries(keys.map((k) => [k, toArg(a[k], defs)]));
}

/**
 * mathjs matrices and NDArrays become nested arrays, records stay records, fields holding
 * `undefined` are left out (as JSON does). Trusted values only: the grader's child validates
 * learner values itself.
 */
export const toPlain = (v: unknown): unknown => {
  if ((v as { isMatrix?: unknown })?.isMatrix === true) return (v as { toArray(): unknown }).toArray();
  if (isNDArray(v)) return v.toArray();
  if (Array.isArray(v)) return v.map(toPlain);
  if (isRecord(v))
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, toPlain(x)]),
    );
  return v;
};

const isNDArray = (v: unknown): v is NDArray => typeof v === "object" && v !== null && v instanceof ndarray().NDArray;

/**
 * Numbers, arrays and plain records of them, nested at most 12 deep. Every index of an array must
 * be there: `every` skips holes, so a loop with `in` looks at each one.
 */
export function isPlain(v: unknown, depth = 0): v is Plain {
  if (typeof v === "number") return true;
  if (depth > 12) return false;
  if (Array.isArray(v)) {
    if (v.length > 1e6) return false;
    for (let i = 0; i < v.length; i++) if (!(i in v) || !isPlain(v[i], depth + 1)) return false;
    return true;
  }
  if (!isRecord(v) || Object.getOwnPropertySymbols(v).length) return false;
  for (const k of Object.keys(v)) if (!isPlain(v[k], depth + 1)) return false;
  return true;
}

/** A plain object from any realm (the grader's values arrive from another process via IPC). */
const isRecord = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
};

// Case arguments and results as plain data, shared by the notebook's checks and the grader.
// mathjs is required lazily (see tensor.ts).
declare const require: (id: string) => any;
import type { Plain } from "./compare";

/** A case argument: `{ matrix }` becomes a mathjs matrix; anything else is copied, so a function cannot change the case. */
export const toArg = (a: unknown): unknown =>
  a !== null && typeof a === "object" && !Array.isArray(a) && "matrix" in a ? require("mathjs").matrix((a as { matrix: number[][] }).matrix) : structuredClone(a);

/** mathjs matrices become nested arrays, records stay records (trusted values only: the grader validates learner values in the child). */
export const toPlain = (v: any): any =>
  v?.isMatrix === true ? v.toArray() : Array.isArray(v) ? v.map(toPlain) : isRecord(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)])) : v;

export const isPlain = (v: unknown): v is Plain =>
  typeof v === "number" || (Array.isArray(v) ? v.length <= 1e6 && v.every(isPlain) : isRecord(v) && Object.values(v).every(isPlain));

/** A plain object from any realm (the grader's values arrive from another process via IPC). */
const isRecord = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
};

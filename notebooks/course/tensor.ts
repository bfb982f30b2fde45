// NOTE: mathjs is loaded only when a matrix is actually mapped: it takes ~0.6 s to load, and only
// section 01 uses it, so the other sections (and their grading) do not pay for it.
import { load } from "./node";
import type { Matrix } from "mathjs";

/** What the course's element-wise functions accept: a number, nested arrays, or a mathjs matrix. */
export type Tensor = number | number[] | number[][] | Matrix;

/** Applies `f` to every element of `x`, keeping its kind (number, array or mathjs matrix). */
export function map<T extends Tensor>(x: T, f: (v: number) => number): T {
  if (typeof x === "number") return f(x) as T;
  return load<typeof import("mathjs")>("mathjs").map(x as Exclude<Tensor, number>, (v: number) => f(v)) as T;
}

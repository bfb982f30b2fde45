import * as math from "mathjs";

/** What the course's element-wise functions accept: a number, nested arrays, or a mathjs matrix. */
export type Tensor = number | number[] | number[][] | math.Matrix;

/** Applies `f` to every element of `x`, keeping its kind (number, array or mathjs matrix). */
export function map<T extends Tensor>(x: T, f: (v: number) => number): T {
  if (typeof x === "number") return f(x) as T;
  return math.map(x as math.Matrix, (v: number) => f(v)) as unknown as T;
}

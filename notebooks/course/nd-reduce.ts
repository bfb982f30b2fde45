// Reductions, gathering and reshaping. Along an axis the result stays two-dimensional, like NumPy's
// keepdims=True (which the course always uses): sum over axis 0 of (n, m) is (1, m); over axis 1, (n, 1).
import { asND, formatShape, NDArray } from "./ndarray";

export type Axis = 0 | 1;

function checkAxis(fn: string, axis: unknown): void {
  if (axis !== undefined && axis !== 0 && axis !== 1)
    throw new RangeError(`${fn}: axis must be 0 (down the rows), 1 (along each row) or left out, got ${String(axis)}`);
}

type ReduceLoop = (d: Float64Array, o: Float64Array, R: number, C: number, axis: Axis | undefined) => void;
/**
 * A reduction's loops with its step written in (acc = step(acc, v)), generated once per operation.
 * NOTE: one loop calling `step(acc, v)` for sum, max, min and mean went megamorphic and ran ~4× slower
 * (the MNIST iteration's column maxima and sums: 1.2 ms of 22).
 */
const reduceLoop = (init: string, step: string): ReduceLoop =>
  new Function(
    "d",
    "o",
    "R",
    "C",
    "axis",
    `let acc = 0, v = 0;
    if (axis === 0) {
      o.fill(${init});
      for (let i = 0, k = 0; i < R; i++) for (let j = 0; j < C; j++, k++) { acc = o[j]; v = d[k]; o[j] = ${step}; }
      return;
    }
    const rows = axis === 1 ? R : 1;
    for (let i = 0; i < rows; i++) {
      acc = ${init};
      const end = axis === 1 ? (i + 1) * C : R * C;
      for (let k = i * C; k < end; k++) { v = d[k]; acc = ${step}; }
      o[i] = acc;
    }`,
  ) as ReduceLoop;

/** Reduces along an axis with its loops: each row or column, or everything when there is no axis. */
function reduce(fn: string, a: NDArray, axis: Axis | undefined, loop: ReduceLoop): NDArray {
  checkAxis(fn, axis);
  const x = asND(a, fn),
    { rows: R, cols: C } = x;
  const out = axis === 0 ? new NDArray(1, C) : new NDArray(axis === 1 ? R : 1, 1);
  loop(x.data, out.data, R, C, axis);
  return out;
}

const scalarOr = (out: NDArray, axis: Axis | undefined) => (axis === undefined ? out.data[0] : out);
const sumLoop = reduceLoop("0", "acc + v");
// NaN wins, as in NumPy.
const maxLoop = reduceLoop("-Infinity", "(v > acc || v !== v ? v : acc)");
const minLoop = reduceLoop("Infinity", "(v < acc || v !== v ? v : acc)");

/** Σ of every value (a number), or along an axis: axis 0 sums each column → (1, m); axis 1 each row → (n, 1). */
export function sum(a: NDArray): number;
export function sum(a: NDArray, axis: Axis): NDArray;
export function sum(a: NDArray, axis?: Axis): number | NDArray {
  return scalarOr(reduce("sum", a, axis, sumLoop), axis);
}

export function mean(a: NDArray): number;
export function mean(a: NDArray, axis: Axis): NDArray;
export function mean(a: NDArray, axis?: Axis): number | NDArray {
  const x = asND(a, "mean"),
    n = axis === 0 ? x.rows : axis === 1 ? x.cols : x.size;
  const s = reduce("mean", x, axis, sumLoop);
  for (let k = 0; k < s.size; k++) s.data[k] /= n;
  return scalarOr(s, axis);
}

/** Largest value (NaN if any is NaN, as in NumPy), overall or along an axis. */
export function max(a: NDArray): number;
export function max(a: NDArray, axis: Axis): NDArray;
export function max(a: NDArray, axis?: Axis): number | NDArray {
  if (asND(a, "max").size === 0) throw new RangeError("max: the array is empty");
  return scalarOr(reduce("max", a, axis, maxLoop), axis);
}

export function min(a: NDArray): number;
export function min(a: NDArray, axis: Axis): NDArray;
export function min(a: NDArray, axis?: Axis): number | NDArray {
  if (asND(a, "min").size === 0) throw new RangeError("min: the array is empty");
  return scalarOr(reduce("min", a, axis, minLoop), axis);
}

/** Index of the largest value along an axis (the first one on ties): axis 0 gives each column's row, (1, m). */
export function argmax(a: NDArray, axis: Axis): NDArray {
  checkAxis("argmax", axis);
  const x = asND(a, "argmax"),
    d = x.data,
    { rows: R, cols: C } = x;
  if (R === 0 || C === 0) throw new RangeError("argmax: the array is empty");
  const [n, len, outer, inner] = axis === 0 ? [C, R, 1, C] : [R, C, C, 1];
  const out = axis === 0 ? new NDArray(1, C) : new NDArray(R, 1);
  for (let t = 0; t < n; t++) {
    let best = 0,
      bestV = d[t * outer];
    for (let s = 1; s < len && bestV === bestV; s++) {
      const v = d[t * outer + s * inner];
      if (v > bestV || v !== v) {
        best = s;
        bestV = v;
      }
    }
    out.data[t] = best;
  }
  return out;
}

/** √(Σ v²): the Frobenius norm (a vector's length). */
export function norm(a: NDArray): number {
  const d = asND(a, "norm").data;
  let s = 0;
  for (let k = 0; k < d.length; k++) s += d[k] * d[k];
  return Math.sqrt(s);
}

function labelAt(fn: string, v: number, classes: number, j: number): number {
  if (!Number.isInteger(v) || v < 0 || v >= classes)
    throw new RangeError(`${fn}: label ${v} in column ${j} is not a whole number in 0 … ${classes - 1}`);
  return v;
}

/** `np.take_along_axis(A, Y, 0)` for labels Y (1, m): the value A[Y[j], j] of each column, (1, m). */
export function takeAlongAxis(A: NDArray, Y: NDArray, axis: 0 = 0): NDArray {
  const a = asND(A, "takeAlongAxis"),
    y = asND(Y, "takeAlongAxis", "labels");
  if (axis !== 0) throw new RangeError("takeAlongAxis: only axis 0 (one row index per column) is supported");
  if (y.rows !== 1 || y.cols !== a.cols)
    throw new RangeError(
      `takeAlongAxis: labels must be (1, ${a.cols}) for A ${formatShape(a.rows, a.cols)}, got ${formatShape(y.rows, y.cols)}`,
    );
  const out = new NDArray(1, a.cols);
  for (let j = 0; j < a.cols; j++) out.data[j] = a.data[labelAt("takeAlongAxis", y.data[j], a.rows, j) * a.cols + j];
  return out;
}

/** Labels Y (1, m) as a one-hot (classes, m): column j has a 1 in row Y[j]. */
export function oneHot(Y: NDArray, classes: number): NDArray {
  const y = asND(Y, "oneHot", "labels");
  if (y.rows !== 1) throw new RangeError(`oneHot: labels must be one row (1, m), got ${formatShape(y.rows, y.cols)}`);
  const out = new NDArray(classes, y.cols);
  for (let j = 0; j < y.cols; j++) out.data[labelAt("oneHot", y.data[j], classes, j) * y.cols + j] = 1;
  return out;
}

/** Same values, new shape, read row by row (NumPy's default order). */
export function reshape(a: NDArray, rows: number, cols: number): NDArray {
  const x = asND(a, "reshape");
  if (rows * cols !== x.size)
    throw new RangeError(
      `reshape: ${formatShape(x.rows, x.cols)} has ${x.size} values, ${formatShape(rows, cols)} needs ${rows * cols}`,
    );
  return new NDArray(rows, cols, x.data.slice());
}

/** Side by side (same number of rows): hstack([ones(m, 1), X]) adds a bias column. */
export function hstack(parts: NDArray[]): NDArray {
  const xs = parts.map((p, i) => asND(p, "hstack", `array ${i}`));
  const R = xs[0]?.rows ?? 0;
  const bad = xs.findIndex((x) => x.rows !== R);
  if (bad >= 0) throw new RangeError(`hstack: array ${bad} has ${xs[bad].rows} rows, array 0 has ${R}`);
  const C = xs.reduce((s, x) => s + x.cols, 0),
    out = new NDArray(R, C);
  for (let i = 0; i < R; i++) {
    let at = i * C;
    for (const x of xs) {
      out.data.set(x.data.subarray(i * x.cols, (i + 1) * x.cols), at);
      at += x.cols;
    }
  }
  return out;
}

/** One above the other (same number of columns). */
export function vstack(parts: NDArray[]): NDArray {
  const xs = parts.map((p, i) => asND(p, "vstack", `array ${i}`));
  const C = xs[0]?.cols ?? 0;
  const bad = xs.findIndex((x) => x.cols !== C);
  if (bad >= 0) throw new RangeError(`vstack: array ${bad} has ${xs[bad].cols} columns, array 0 has ${C}`);
  const out = new NDArray(
    xs.reduce((s, x) => s + x.rows, 0),
    C,
  );
  let at = 0;
  for (const x of xs) {
    out.data.set(x.data, at);
    at += x.size;
  }
  return out;
}

function checkRange(fn: string, start: number, end: number, n: number, what: string): void {
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= n))
    throw new RangeError(`${fn}: ${what} ${start} … ${end} is not within 0 … ${n}`);
}

/** Rows start … end − 1 (like A[start:end]). */
export function sliceRows(a: NDArray, start: number, end: number = a.rows): NDArray {
  const x = asND(a, "sliceRows");
  checkRange("sliceRows", start, end, x.rows, "rows");
  return new NDArray(end - start, x.cols, x.data.slice(start * x.cols, end * x.cols));
}

/** Columns start … end − 1 (like A[:, start:end]): sliceCols(Theta, 1) drops the bias column. */
export function sliceCols(a: NDArray, start: number, end: number = a.cols): NDArray {
  const x = asND(a, "sliceCols");
  checkRange("sliceCols", start, end, x.cols, "columns");
  const w = end - start,
    out = new NDArray(x.rows, w);
  for (let i = 0; i < x.rows; i++) out.data.set(x.data.subarray(i * x.cols + start, i * x.cols + end), i * w);
  return out;
}

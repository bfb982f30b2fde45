// Element-wise operations on NDArrays with NumPy's broadcasting: (n, m) with (n, m), (n, 1), (1, m),
// (1, 1) or a number. So `add(matmul(W, A), b)` adds the bias column b (n, 1) to every column.
import { asND, formatShape, NDArray, type NDLike } from "./ndarray";

type Binary = (a: NDLike, b: NDLike) => NDArray;
type Unary = (a: NDArray) => NDArray;

// NOTE: each operation gets its own loop, generated once from its expression, so V8 inlines the
// arithmetic: one shared loop calling `op(x, y)` goes megamorphic and runs several times slower
// on the 400,000-value arrays of the MNIST network.
const binaryLoop = (expr: string) =>
  new Function("A", "B", "out", "R", "C", "ars", "acs", "brs", "bcs", `
    let m = 0, r = 0;
    if (ars === C && brs === C && acs === 1 && bcs === 1) {
      for (let k = 0; k < R * C; k++) { const x = A[k], y = B[k]; out[k] = ${expr}; }
      return;
    }
    let k = 0;
    for (let i = 0; i < R; i++) {
      const ia = i * ars, ib = i * brs;
      for (let j = 0; j < C; j++) { const x = A[ia + j * acs], y = B[ib + j * bcs]; out[k++] = ${expr}; }
    }`) as (A: Float64Array, B: Float64Array, out: Float64Array, R: number, C: number, ars: number, acs: number, brs: number, bcs: number) => void;

const unaryLoop = (expr: string) =>
  new Function("A", "out", `for (let k = 0; k < A.length; k++) { const x = A[k]; out[k] = ${expr}; }`) as (A: Float64Array, out: Float64Array) => void;

type Shape = { rows: number; cols: number };

/** The broadcast shape of two operands (NDArrays, or just their shapes), or an error naming the function and both shapes. */
function broadcastShape(name: string, a: Shape, b: Shape): Shape {
  const dim = (x: number, y: number) => (x === y || y === 1 ? x : x === 1 ? y : -1);
  const rows = dim(a.rows, b.rows), cols = dim(a.cols, b.cols);
  if (rows < 0 || cols < 0) {
    const hint = a.rows === b.cols && a.cols === b.rows ? " — did you transpose?" : " — each dimension must be equal, or 1 in one of them";
    throw new RangeError(`${name}: shapes ${formatShape(a.rows, a.cols)} and ${formatShape(b.rows, b.cols)} do not broadcast${hint}`);
  }
  return { rows, cols };
}

function binary(name: string, expr: string): Binary {
  const loop = binaryLoop(expr);
  return (a, b) => {
    const x = asND(a, name, "first argument"), y = asND(b, name, "second argument");
    const { rows: R, cols: C } = broadcastShape(name, x, y);
    const out = NDArray.uninitialized(R, C);
    // A dimension of 1 repeats: its stride is 0.
    loop(x.data, y.data, out.data, R, C, x.rows === 1 ? 0 : x.cols, x.cols === 1 ? 0 : 1, y.rows === 1 ? 0 : y.cols, y.cols === 1 ? 0 : 1);
    return out;
  };
}

function unary(name: string, expr: string): Unary {
  const loop = unaryLoop(expr);
  return (a) => {
    const x = asND(a, name);
    const out = NDArray.uninitialized(x.rows, x.cols);
    loop(x.data, out.data);
    return out;
  };
}

// NOTE: the comparisons and maximum/minimum are written without branches: `+(x > y)` is 0 or 1,
// and `x·m + y·(1 − m)` picks one value exactly. On ReLU's inputs, where the sign is a coin toss,
// a branch (`x > y ? x : y`, or Math.max) is mispredicted half the time and 9× slower here. The
// product form is NaN only when an operand is NaN or infinite; those few values take the branch.
const pick = (cond: string) => `(m = +(${cond}), r = x * m + y * (1 - m), r === r ? r : x !== x || y !== y ? NaN : ${cond} ? x : y)`;

export const add = binary("add", "x + y");
export const sub = binary("sub", "x - y");
export const mul = binary("mul", "x * y");
export const div = binary("div", "x / y");
export const pow = binary("pow", "Math.pow(x, y)");
/** Element-wise larger value, like np.maximum: `maximum(Z, 0)` is ReLU. NaN wins, as in NumPy. */
export const maximum = binary("maximum", pick("x > y"));
export const minimum = binary("minimum", pick("x < y"));
/** Comparisons give 1 where true, 0 where false: `greater(Z, 0)` is ReLU′ (0 at Z = 0). */
export const greater = binary("greater", "+(x > y)");
export const greaterEqual = binary("greaterEqual", "+(x >= y)");
export const less = binary("less", "+(x < y)");
export const lessEqual = binary("lessEqual", "+(x <= y)");
export const equal = binary("equal", "+(x === y)");

export const neg = unary("neg", "-x");
export const exp = unary("exp", "Math.exp(x)");
export const log = unary("log", "Math.log(x)");
export const sqrt = unary("sqrt", "Math.sqrt(x)");
export const abs = unary("abs", "Math.abs(x)");
export const square = unary("square", "x * x");
export const sin = unary("sin", "Math.sin(x)");
/** σ(z) = 1 / (1 + e^(−z)), element-wise. */
export const sigmoid = unary("sigmoid", "1 / (1 + Math.exp(-x))");

/** Applies `f` to every value (slower than the operations above: use those where one fits). */
export function map(a: NDArray, f: (v: number, i: number, j: number) => number): NDArray {
  const x = asND(a, "map"), out = new NDArray(x.rows, x.cols), d = x.data, o = out.data;
  for (let i = 0, k = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++, k++) o[k] = f(d[k], i, j);
  return out;
}

/** `where(cond, a, b)`: a where cond is non-zero, else b, value by value (all three broadcast). */
export function where(cond: NDLike, a: NDLike, b: NDLike): NDArray {
  const c = asND(cond, "where", "condition"), x = asND(a, "where", "second argument"), y = asND(b, "where", "third argument");
  const { rows: R, cols: C } = broadcastShape("where", broadcastShape("where", c, x), y);
  const out = new NDArray(R, C), o = out.data;
  const at = (m: NDArray, i: number, j: number) => m.data[(m.rows === 1 ? 0 : i) * m.cols + (m.cols === 1 ? 0 : j)];
  for (let i = 0, k = 0; i < R; i++) for (let j = 0; j < C; j++, k++) o[k] = at(c, i, j) !== 0 ? at(x, i, j) : at(y, i, j);
  return out;
}

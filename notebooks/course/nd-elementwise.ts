// Element-wise operations on NDArrays with NumPy's broadcasting: (n, m) with (n, m), (n, 1), (1, m),
// (1, 1) or a number. So `add(matmul(W, A), b)` adds the bias column b (n, 1) to every column.
import { addToProduct, nativePasses, productValuesInto } from "./matmul";
import { asND, formatShape, NDArray, type NDLike } from "./ndarray";

type Binary = (a: NDLike, b: NDLike) => NDArray;
type Unary = (a: NDArray) => NDArray;

// NOTE: each operation gets its own loops, generated once from its expression, so V8 inlines the
// arithmetic: one shared loop calling `op(x, y)` goes megamorphic and runs several times slower
// on the 400,000-value arrays of the MNIST network. Each broadcasting case the course meets has a
// loop of its own — same shape, a number, a column (n, 1), a row (1, m) — with no index arithmetic
// per value: `maximum(Z, 0)` through the general strided loop took 5× as long.
type Loop = (
  A: Float64Array,
  B: Float64Array,
  out: Float64Array,
  R: number,
  C: number,
  ars: number,
  acs: number,
  brs: number,
  bcs: number,
) => void;
const binaryLoop = (expr: string): Loop =>
  new Function(
    "A",
    "B",
    "out",
    "R",
    "C",
    "ars",
    "acs",
    "brs",
    "bcs",
    `
    let m = 0, r = 0, x = 0, y = 0;
    const n = R * C;
    if (ars === C && acs === 1) {
      if (brs === C && bcs === 1) { for (let k = 0; k < n; k++) { x = A[k]; y = B[k]; out[k] = ${expr}; } return; }
      if (brs === 0 && bcs === 0) { y = B[0]; for (let k = 0; k < n; k++) { x = A[k]; out[k] = ${expr}; } return; }
      if (brs === 1 && bcs === 0) { for (let i = 0, k = 0; i < R; i++) { y = B[i]; for (const e = k + C; k < e; k++) { x = A[k]; out[k] = ${expr}; } } return; }
      if (brs === 0 && bcs === 1) { for (let i = 0, k = 0; i < R; i++) for (let j = 0; j < C; j++, k++) { x = A[k]; y = B[j]; out[k] = ${expr}; } return; }
    }
    if (ars === 0 && acs === 0 && brs === C && bcs === 1) { x = A[0]; for (let k = 0; k < n; k++) { y = B[k]; out[k] = ${expr}; } return; }
    let k = 0;
    for (let i = 0; i < R; i++) {
      const ia = i * ars, ib = i * brs;
      for (let j = 0; j < C; j++) { x = A[ia + j * acs]; y = B[ib + j * bcs]; out[k++] = ${expr}; }
    }`,
  ) as Loop;

const unaryLoop = (expr: string) =>
  new Function("A", "out", `for (let k = 0; k < A.length; k++) { const x = A[k]; out[k] = ${expr}; }`) as (
    A: Float64Array,
    out: Float64Array,
  ) => void;

type Shape = { rows: number; cols: number };

/** The broadcast shape of two operands (NDArrays, or just their shapes), or an error naming the function and both shapes. */
function broadcastShape(name: string, a: Shape, b: Shape): Shape {
  const dim = (x: number, y: number) => (x === y || y === 1 ? x : x === 1 ? y : -1);
  const rows = dim(a.rows, b.rows),
    cols = dim(a.cols, b.cols);
  if (rows < 0 || cols < 0) {
    const hint =
      a.rows === b.cols && a.cols === b.rows
        ? " — did you transpose?"
        : " — each dimension must be equal, or 1 in one of them";
    throw new RangeError(
      `${name}: shapes ${formatShape(a.rows, a.cols)} and ${formatShape(b.rows, b.cols)} do not broadcast${hint}`,
    );
  }
  return { rows, cols };
}

function binary(name: string, expr: string): Binary {
  const loop = binaryLoop(expr);
  return (a, b) => {
    const x = asND(a, name, "first argument"),
      y = asND(b, name, "second argument");
    const { rows: R, cols: C } = broadcastShape(name, x, y);
    const out = NDArray.uninitialized(R, C);
    // A dimension of 1 repeats: its stride is 0. (A column's row stride is 1: one value per row.)
    loop(
      x.data,
      y.data,
      out.data,
      R,
      C,
      x.rows === 1 ? 0 : x.cols,
      x.cols === 1 ? 0 : 1,
      y.rows === 1 ? 0 : y.cols,
      y.cols === 1 ? 0 : 1,
    );
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
const pick = (cond: string) =>
  `(m = +(${cond}), r = x * m + y * (1 - m), r === r ? r : x !== x || y !== y ? NaN : ${cond} ? x : y)`;

const plainAdd = binary("add", "x + y");
/** a + b; a product nobody read yet plus a bias becomes one product started from the bias (matmul.ts). */
export const add: Binary = (a, b) =>
  (a instanceof NDArray ? addToProduct(a, asND(b, "add", "second argument")) : undefined) ??
  (b instanceof NDArray ? addToProduct(b, asND(a, "add", "first argument")) : undefined) ??
  plainAdd(a, b);
export const sub = binary("sub", "x - y");
const plainMul = binary("mul", "x * y");
/** a ⊙ b; a value times a comparison nobody read yet (ReLU′: `mul(dA, greater(Z, 0))`) is one pass (see `compare`). */
export const mul: Binary = (a, b) =>
  (a instanceof NDArray && b instanceof NDArray ? (maskedProduct(a, b) ?? maskedProduct(b, a)) : undefined) ??
  plainMul(a, b);
export const div = binary("div", "x / y");
export const pow = binary("pow", "Math.pow(x, y)");
/** An array against a number, in the addon's vectorized pass (the same values as the loop's). */
function extremeWithNumber(a: NDLike, b: NDLike, smaller: boolean): NDArray | undefined {
  const native = a instanceof NDArray && typeof b === "number" ? nativePasses(a.size) : undefined;
  if (!native) return undefined;
  const x = a as NDArray,
    out = NDArray.uninitialized(x.rows, x.cols);
  native.extremeScalar(x.data, b as number, out.data, smaller);
  return out;
}
const plainMaximum = binary("maximum", pick("x > y")),
  plainMinimum = binary("minimum", pick("x < y"));
/** Element-wise larger value, like np.maximum: `maximum(Z, 0)` is ReLU. NaN wins, as in NumPy. */
export const maximum: Binary = (a, b) => extremeWithNumber(a, b, false) ?? plainMaximum(a, b);
export const minimum: Binary = (a, b) => extremeWithNumber(a, b, true) ?? plainMinimum(a, b);
/** Comparisons with a number not read yet, with what they compare: `mul` folds them into its pass. */
type MaskedLoop = (Z: Float64Array, V: Float64Array, out: Float64Array, s: number) => void;
/** An unread comparison's origin (NDArray.origin): what it compares, and the pass that multiplies by it. */
class Comparison {
  constructor(
    readonly z: NDArray,
    readonly s: number,
    readonly loop: MaskedLoop,
    /** The addon's code for the comparison (native/blas.c's masked_product). */
    readonly op: number,
  ) {}
}

/**
 * A comparison `x op y`, 1 where true and 0 where false. Compared with a number, its values are
 * computed when first read (NDArray.lazy), so `mul(dA, greater(Z, 0))` — ReLU's backward step —
 * compares and multiplies in one pass, without an array of 0s and 1s in between.
 */
function compare(name: string, op: ">" | ">=" | "<" | "<="): Binary {
  const code = [">", ">=", "<", "<="].indexOf(op);
  const eager = binary(name, `+(x ${op} y)`);
  // v·1 or v·0, exactly as the eager mask times v; no branch (ReLU's signs are a coin toss: see `pick`).
  const masked = new Function(
    "Z",
    "V",
    "out",
    "s",
    `for (let k = 0; k < V.length; k++) out[k] = V[k] * +(Z[k] ${op} s);`,
  ) as MaskedLoop;
  return (a, b) => {
    if (!(a instanceof NDArray) || typeof b !== "number") return eager(a, b);
    return NDArray.setOrigin(
      NDArray.lazy(a.rows, a.cols, () => eager(a, b).data),
      new Comparison(a, b, masked, code),
    );
  };
}

/**
 * v ⊙ mask in one pass, where mask compares z (v's shape) with a number and nobody read it yet. When
 * v is an unread product (dA = Wᵀ·dZ), it is computed straight into the output and masked there.
 */
function maskedProduct(v: NDArray, mask: NDArray): NDArray | undefined {
  const m = NDArray.origin(mask);
  if (!(m instanceof Comparison) || m.z.rows !== v.rows || m.z.cols !== v.cols) return undefined;
  const out = NDArray.uninitialized(v.rows, v.cols);
  const o = out.data;
  // Either pass reads V[k] before it writes out[k]: in place is safe.
  const V = productValuesInto(v, o) ? o : v.data,
    native = nativePasses(o.length);
  if (native) native.maskedProduct(m.z.data, V, m.s, o, m.op);
  else m.loop(m.z.data, V, o, m.s);
  return out;
}

/** Comparisons give 1 where true, 0 where false: `greater(Z, 0)` is ReLU′ (0 at Z = 0). */
export const greater = compare("greater", ">");
export const greaterEqual = compare("greaterEqual", ">=");
export const less = compare("less", "<");
export const lessEqual = compare("lessEqual", "<=");
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
  const x = asND(a, "map"),
    out = new NDArray(x.rows, x.cols),
    d = x.data,
    o = out.data;
  for (let i = 0, k = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++, k++) o[k] = f(d[k], i, j);
  return out;
}

/** `where(cond, a, b)`: a where cond is non-zero, else b, value by value (all three broadcast). */
export function where(cond: NDLike, a: NDLike, b: NDLike): NDArray {
  const c = asND(cond, "where", "condition"),
    x = asND(a, "where", "second argument"),
    y = asND(b, "where", "third argument");
  const { rows: R, cols: C } = broadcastShape("where", broadcastShape("where", c, x), y);
  const out = new NDArray(R, C),
    o = out.data;
  const at = (m: NDArray, i: number, j: number) => m.data[(m.rows === 1 ? 0 : i) * m.cols + (m.cols === 1 ? 0 : j)];
  for (let i = 0, k = 0; i < R; i++)
    for (let j = 0; j < C; j++, k++) o[k] = at(c, i, j) !== 0 ? at(x, i, j) : at(y, i, j);
  return out;
}

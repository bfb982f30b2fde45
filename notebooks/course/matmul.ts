// matmul: the one operation that decides the MNIST network's speed (98 % of its work is two
// products of (200, 784) · (784, 2000) size). Two backends, same float64 results to rounding:
//   "native"  the system's optimised BLAS (OpenBLAS …) through course_blas.node (native/blas.c);
//             both cores, ~64 GFLOP/s here, NumPy's own speed;
//   "js"      a cache-blocked TypeScript kernel, ~1.5 GFLOP/s: the fallback wherever the addon
//             could not be built or no optimised BLAS is installed.
import { load } from "./node";
import { asND, formatShape, NDArray } from "./ndarray";

interface NativeBlas {
  available: boolean;
  library: string;
  dgemm(
    ta: boolean,
    tb: boolean,
    M: number,
    N: number,
    K: number,
    A: Float64Array,
    B: Float64Array,
    C: Float64Array,
    addToC?: boolean,
  ): void;
  extremeScalar(A: Float64Array, s: number, out: Float64Array, smaller: boolean): void;
  maskedProduct(Z: Float64Array, V: Float64Array, s: number, out: Float64Array, op: number): void;
}
export type Backend = "native" | "js";

let native: NativeBlas | null | undefined; // undefined: not looked for yet; null: not available
let chosen: Backend | undefined;
let whyNot = "";

function loadNative(): NativeBlas | null {
  if (native !== undefined) return native;
  try {
    const m = load<NativeBlas>("./native/build/course_blas.node");
    native = m.available ? m : null;
    if (!m.available) whyNot = "no optimised BLAS library is installed (Debian: apt-get install libopenblas0-pthread)";
  } catch (e) {
    native = null;
    whyNot = `the native addon is not built (npm install builds it): ${(e as Error).message.split("\n")[0]}`;
  }
  return native;
}

/** Which backend matmul uses: the native BLAS when it loads, else the TypeScript kernel. */
export function backend(): { name: Backend; detail: string } {
  chosen ??= loadNative() ? "native" : "js";
  return chosen === "native"
    ? { name: "native", detail: `native BLAS (${native!.library})` }
    : { name: "js", detail: `TypeScript kernel${whyNot ? ` — ${whyNot}` : ""}` };
}

/** Chooses the backend (tests and the benchmark compare the two); "native" fails when it cannot load. */
export function setBackend(name: Backend): void {
  if (name === "native" && !loadNative()) throw new Error(`setBackend: the native BLAS is not available: ${whyNot}`);
  chosen = name;
}

/**
 * Runs `body` with matmul on `name`, then restores the backend. The backend is read when a
 * product is made (not when it is computed), so products made inside `body` keep it.
 */
export function withBackend<T>(name: Backend, body: () => T): T {
  const before = backend().name;
  setBackend(name);
  try {
    return body();
  } finally {
    chosen = before;
  }
}

/** Below this many values an element-wise pass stays in TypeScript (a call into the addon costs more). */
const NATIVE_PASS_MIN = 4096;

/**
 * The addon's element-wise passes (native/blas.c: ReLU's max(Z, s), and v ⊙ (z op s)) for an array of
 * `size` values, when matmul runs on the native backend; undefined otherwise. They give exactly the
 * values of nd-elementwise.ts's loops, only faster (vectorized).
 */
export function nativePasses(size: number): Pick<NativeBlas, "extremeScalar" | "maskedProduct"> | undefined {
  return size >= NATIVE_PASS_MIN && backend().name === "native" && native?.extremeScalar ? native : undefined;
}

/** The matrix product A · B: (n, k) · (k, m) → (n, m). Transposes are passed to BLAS, not copied. */
export function matmul(a: NDArray, b: NDArray): NDArray {
  const x = asND(a, "matmul", "first argument"),
    y = asND(b, "matmul", "second argument");
  if (x.cols !== y.rows) {
    const hint =
      x.cols === y.cols
        ? " — did you mean matmul(a, transpose(b))?"
        : x.rows === y.rows
          ? " — did you mean matmul(transpose(a), b)?"
          : "";
    throw new RangeError(
      `matmul: ${formatShape(x.rows, x.cols)} · ${formatShape(y.rows, y.cols)}: inner dimensions ${x.cols} and ${y.rows} differ${hint}`,
    );
  }
  return product(x, y, backend().name === "native");
}

/** An unread product's origin (NDArray.origin): `add(product, b)` can then start the product from b. */
class Product {
  constructor(
    readonly x: NDArray,
    readonly y: NDArray,
    readonly native: boolean,
  ) {}
}

/**
 * x · y (+ addend, broadcast), computed when its values are first read (NDArray.lazy): shapes are
 * checked at the call. The backend is the one chosen when the product was made.
 */
function product(x: NDArray, y: NDArray, useNative: boolean, addend?: NDArray): NDArray {
  const out = NDArray.lazy(x.rows, y.cols, () => {
    // BLAS writes every value when it does not add (β = 0); the TypeScript kernel adds into C.
    const C = addend
      ? broadcastTo(addend, x.rows, y.cols)
      : useNative
        ? NDArray.uninitialized(x.rows, y.cols).data
        : new Float64Array(x.rows * y.cols);
    multiplyInto(x, y, useNative, C, addend !== undefined);
    return C;
  });
  return addend ? out : NDArray.setOrigin(out, new Product(x, y, useNative));
}

/** C = x · y, or C + x · y when `addToC` (the TypeScript kernel always adds: C must hold zeros then). */
function multiplyInto(x: NDArray, y: NDArray, useNative: boolean, C: Float64Array, addToC: boolean): void {
  if (useNative) {
    const ta = NDArray.transposeInfo(x),
      tb = NDArray.transposeInfo(y);
    native!.dgemm(ta.transposed, tb.transposed, x.rows, y.cols, x.cols, ta.base.data, tb.base.data, C, addToC);
  } else gemm(x.data, y.data, C, x.rows, y.cols, x.cols);
}

/**
 * The values of `p`, a product nobody has read yet, written into `C` (its size), or false when p is
 * not one. `p` itself stays unread: if anything reads it later, it computes its own values then.
 * NOTE: ReLU's backward step `mul(dA, greater(Z, 0))` with dA = Wᵀ·dZ is the case: the product goes
 * straight into the step's output, which is then masked in place — no (200, 2000) array in between.
 */
export function productValuesInto(p: NDArray, C: Float64Array): boolean {
  const info = NDArray.origin(p);
  if (!(info instanceof Product) || C.length !== p.size) return false;
  if (!info.native) C.fill(0);
  multiplyInto(info.x, info.y, info.native, C, false);
  return true;
}

/** b's values repeated to fill (rows, cols): b is (rows, cols), (rows, 1), (1, cols) or (1, 1). */
function broadcastTo(b: NDArray, rows: number, cols: number): Float64Array {
  const out = NDArray.uninitialized(rows, cols).data,
    d = b.data;
  if (b.rows === rows && b.cols === cols) out.set(d);
  else if (b.cols === 1) for (let i = 0; i < rows; i++) out.fill(d[b.rows === 1 ? 0 : i], i * cols, (i + 1) * cols);
  else for (let i = 0; i < rows; i++) out.set(d, i * cols);
  return out;
}

/**
 * `add(p, b)` where p is a product nobody has read yet and b broadcasts to it: the same product,
 * started from b (BLAS's C = A·B + C), so the sum needs no pass and no array of its own.
 * NOTE: the course's layer `Z = add(matmul(W, A), b)` is the case: a (200, 2000) array and a pass
 * over it saved per layer and iteration. Undefined when it does not apply (then add adds).
 */
export function addToProduct(p: NDArray, b: NDArray): NDArray | undefined {
  const info = NDArray.origin(p);
  if (!(info instanceof Product)) return undefined;
  if (!((b.rows === p.rows || b.rows === 1) && (b.cols === p.cols || b.cols === 1))) return undefined;
  return product(info.x, info.y, info.native, b);
}

/** `dot` is matmul, as np.dot is for matrices. */
export const dot = matmul;

/**
 * C (M, N) = A (M, K) · B (K, N), row-major. Four rows of A at a time against one row of B,
 * in column blocks of 512 so the four rows of C stay in the L1 cache.
 */
function gemm(A: Float64Array, B: Float64Array, C: Float64Array, M: number, N: number, K: number): void {
  const JB = 512;
  for (let j0 = 0; j0 < N; j0 += JB) {
    const j1 = Math.min(j0 + JB, N);
    let i = 0;
    for (; i + 4 <= M; i += 4) {
      const c0 = i * N,
        c1 = c0 + N,
        c2 = c1 + N,
        c3 = c2 + N;
      for (let k = 0; k < K; k++) {
        const a0 = A[i * K + k],
          a1 = A[(i + 1) * K + k],
          a2 = A[(i + 2) * K + k],
          a3 = A[(i + 3) * K + k];
        const bk = k * N;
        for (let j = j0; j < j1; j++) {
          const v = B[bk + j];
          C[c0 + j] += a0 * v;
          C[c1 + j] += a1 * v;
          C[c2 + j] += a2 * v;
          C[c3 + j] += a3 * v;
        }
      }
    }
    for (; i < M; i++) {
      const c0 = i * N;
      for (let k = 0; k < K; k++) {
        const a0 = A[i * K + k],
          bk = k * N;
        for (let j = j0; j < j1; j++) C[c0 + j] += a0 * B[bk + j];
      }
    }
  }
}

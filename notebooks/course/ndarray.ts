// NDArray: the course's matrix for section 05. Always two-dimensional (a column is (n, 1), a row
// (1, m)), float64, row-major — so shapes read exactly like the course's (n, m) formulas.
// NDArrays are immutable: every operation returns a new one.
import type { RandomState } from "./random";

/** A value where an NDArray is expected: an NDArray or a plain number (broadcast like a (1, 1)). */
export type NDLike = NDArray | number;

export const formatShape = (rows: number, cols: number) => `(${rows}, ${cols})`;

// Captured when the module loads (before any learner code, in the grader's child): `uninitialized`
// must not look up a global that learner code could replace.
const allocUnsafeSlow: ((bytes: number) => Uint8Array) | undefined = (
  globalThis as { Buffer?: { allocUnsafeSlow(bytes: number): Uint8Array } }
).Buffer?.allocUnsafeSlow;
/** Passed as `data` by `lazy` and `lazyTranspose`: an array whose values are not stored yet. */
const UNSTORED = new Float64Array(0);

export class NDArray {
  readonly rows: number;
  readonly cols: number;
  // NOTE: private fields (not TypeScript's `private`): no code outside this class can read or set
  // them, so a learner cannot hand the grader an NDArray whose values come from a function of theirs.
  #stored: Float64Array | undefined;
  /** Set when this array is the transpose of `transposeOf`, not yet copied out (see `transposeInfo`). */
  #transposeOf: NDArray | undefined;
  /** Set when this array's values are computed on first read (see `lazy`). */
  #producer: (() => Float64Array) | undefined;
  #cachedT: NDArray | undefined;
  /** What made this unread array, for operations that can fold it into theirs (matmul.ts, nd-elementwise.ts). */
  #origin: unknown;

  constructor(rows: number, cols: number, data?: Float64Array) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new RangeError(`NDArray: a shape is two whole numbers ≥ 0, got (${rows}, ${cols})`);
    }
    if (data && data !== UNSTORED && data.length !== rows * cols)
      throw new RangeError(`NDArray: ${data.length} values do not fill shape ${formatShape(rows, cols)}`);
    this.rows = rows;
    this.cols = cols;
    this.#stored = data === UNSTORED ? undefined : (data ?? new Float64Array(rows * cols));
  }

  /** (rows, cols), like NumPy's `.shape`. */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }
  get size(): number {
    return this.rows * this.cols;
  }

  /** The values, row by row. Read them; do not write them (NDArrays are immutable). */
  get data(): Float64Array {
    if (!this.#stored) {
      this.#stored = this.#producer ? this.#producer() : transposeData(this.#transposeOf!);
      this.#producer = undefined; // let go of the operands
      this.#origin = undefined;
    }
    return this.#stored;
  }

  /** The transpose, like NumPy's `.T`. */
  get T(): NDArray {
    return transpose(this);
  }

  /** The value at row i, column j. */
  get(i: number, j: number): number {
    if (!(i >= 0 && i < this.rows && j >= 0 && j < this.cols && Number.isInteger(i) && Number.isInteger(j))) {
      throw new RangeError(`get(${i}, ${j}): outside shape ${formatShape(this.rows, this.cols)}`);
    }
    return this.data[i * this.cols + j];
  }

  /** Nested arrays, one per row. */
  toArray(): number[][] {
    const d = this.data,
      out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(d.subarray(i * this.cols, (i + 1) * this.cols)));
    return out;
  }

  toString(): string {
    return preview(this);
  }

  /** How tslab and console.log show it: shape first, then the corners of large arrays. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return preview(this);
  }

  /**
   * @internal An array whose every value the caller is about to write. Its memory is not zeroed
   * first: fresh zeroed 3 MB buffers cost page faults (2.5 ms each here against 0.8 ms).
   */
  static uninitialized(rows: number, cols: number): NDArray {
    const n = rows * cols,
      bytes = allocUnsafeSlow?.(n * 8);
    return new NDArray(rows, cols, bytes ? new Float64Array(bytes.buffer, bytes.byteOffset, n) : undefined);
  }

  /**
   * @internal An unread array's origin (a product's operands, a comparison's): set by the operation that
   * made it, read by one that can fold it into its own pass. NOTE: a field, not a WeakMap — every
   * WeakMap entry is an ephemeron that each garbage collection must trace, for thousands of arrays.
   */
  static origin(a: NDArray): unknown {
    return a.#stored === undefined ? a.#origin : undefined;
  }
  static setOrigin(a: NDArray, origin: unknown): NDArray {
    a.#origin = origin;
    return a;
  }

  /** @internal Used by matmul: the array this one transposes, if it was never copied out. */
  static transposeInfo(a: NDArray): { base: NDArray; transposed: boolean } {
    return a.#transposeOf && !a.#stored ? { base: a.#transposeOf, transposed: true } : { base: a, transposed: false };
  }

  /**
   * @internal An array of known shape whose values `produce` computes the first time they are read.
   * NOTE: matmul returns these. The course's linearBackward computes dA_prev for the first layer
   * too, and nothing reads it: lazily, that (784, 2000) product — a third of an iteration's work
   * and 12.5 MB of garbage — never happens.
   */
  static lazy(rows: number, cols: number, produce: () => Float64Array): NDArray {
    const a = new NDArray(rows, cols, UNSTORED);
    a.#producer = produce;
    return a;
  }

  /** @internal A lazy transpose: copied out only when its values are read. */
  static lazyTranspose(a: NDArray): NDArray {
    if (!a.#cachedT) {
      const t = new NDArray(a.cols, a.rows, UNSTORED);
      t.#transposeOf = a;
      t.#cachedT = a;
      a.#cachedT = t;
    }
    return a.#cachedT;
  }
}

/** Transposes in 32×32 tiles (a plain double loop is 3–4× slower on large arrays: cache misses). */
function transposeData(a: NDArray): Float64Array {
  const { rows: r, cols: c } = a,
    src = a.data,
    out = NDArray.uninitialized(c, r).data;
  const B = 32;
  for (let i0 = 0; i0 < r; i0 += B) {
    const i1 = Math.min(i0 + B, r);
    for (let j0 = 0; j0 < c; j0 += B) {
      const j1 = Math.min(j0 + B, c);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * r + i] = src[i * c + j];
    }
  }
  return out;
}

/** The transpose (n, m) → (m, n). Free until its values are read; matmul never copies it. */
export function transpose(a: NDArray): NDArray {
  return NDArray.lazyTranspose(asND(a, "transpose"));
}

function preview(a: NDArray): string {
  const fmt = (v: number) => (Number.isInteger(v) && Math.abs(v) < 1e6 ? String(v) : v.toPrecision(6));
  const cols = (i: number) => {
    const row = (j: number) => fmt(a.data[i * a.cols + j]);
    const js =
      a.cols <= 8
        ? [...Array(a.cols).keys()].map(row)
        : [0, 1, 2].map(row).concat("…", [a.cols - 3, a.cols - 2, a.cols - 1].map(row));
    return `[${js.join(", ")}]`;
  };
  const is =
    a.rows <= 8
      ? [...Array(a.rows).keys()].map(cols)
      : [0, 1, 2].map(cols).concat("…", [a.rows - 3, a.rows - 2, a.rows - 1].map(cols));
  return `NDArray ${formatShape(a.rows, a.cols)}\n[${is.join(",\n ")}]`;
}

/** Checks that `a` is an NDArray (or a number, as a (1, 1)), naming the function that got it. */
export function asND(a: unknown, fn: string, which = "argument"): NDArray {
  if (a instanceof NDArray) return a;
  if (typeof a === "number") return new NDArray(1, 1, new Float64Array([a]));
  const what = Array.isArray(a) ? "a plain array — wrap it with nd.array(…)" : a === null ? "null" : typeof a;
  throw new TypeError(`${fn}: the ${which} must be an NDArray, got ${what}`);
}

/** An NDArray from nested arrays (one per row), a flat list (a (1, n) row), or a number. */
export function array(values: number | readonly number[] | readonly (readonly number[])[]): NDArray {
  if (typeof values === "number") return new NDArray(1, 1, new Float64Array([values]));
  if (!Array.isArray(values)) throw new TypeError("nd.array: expected nested arrays of numbers");
  if (values.length === 0 || !Array.isArray(values[0])) {
    const row = values as readonly number[];
    if (row.some((v) => typeof v !== "number")) throw new TypeError("nd.array: every value must be a number");
    return new NDArray(1, row.length, Float64Array.from(row));
  }
  const rows = values as readonly (readonly number[])[];
  const cols = rows[0].length,
    out = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== cols)
      throw new RangeError(
        `nd.array: row ${i} has ${Array.isArray(row) ? row.length : "no"} values, row 0 has ${cols}`,
      );
    row.forEach((v, j) => {
      if (typeof v !== "number")
        throw new TypeError(`nd.array: the value at [${i}, ${j}] is a ${typeof v}, not a number`);
      out[i * cols + j] = v;
    });
  });
  return new NDArray(rows.length, cols, out);
}

export const zeros = (rows: number, cols: number): NDArray => new NDArray(rows, cols);
export const full = (rows: number, cols: number, value: number): NDArray =>
  new NDArray(rows, cols, new Float64Array(rows * cols).fill(value));
export const ones = (rows: number, cols: number): NDArray => full(rows, cols, 1);

/** `np.random.randn(rows, cols)` from a seeded RandomState: the same numbers as NumPy, in the same order. */
export const randn = (rng: RandomState, rows: number, cols: number): NDArray =>
  new NDArray(rows, cols, Float64Array.from(rng.randn(rows * cols)));
/** `np.random.rand(rows, cols)`: uniform on [0, 1). */
export const rand = (rng: RandomState, rows: number, cols: number): NDArray =>
  new NDArray(rows, cols, Float64Array.from(rng.rand(rows * cols)));

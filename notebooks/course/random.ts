// NumPy's legacy seeded generator (np.random.RandomState), bit for bit, so a notebook prints
// the same numbers as the course's Python. The Mersenne Twister itself is random-js's
// (seeded with init_genrand, exactly like `np.random.seed(int)`); this file adds NumPy's
// way of turning its 32-bit words into doubles, normals, bounded integers and shuffles.
import { MersenneTwister19937 } from "random-js";
import { logCorrectlyRounded } from "./log";

/** A shape: a count, or a list of dimensions (row-major, like NumPy's `size`). */
export type Size = number | number[];
/** Nested arrays of the given shape (`number[]` for one dimension, `number[][]` for two …). */
export type Filled<T> = T | Filled<T>[];

const MAX_SEED = 2 ** 32 - 1;

export class RandomState {
  private engine!: MersenneTwister19937;
  private cachedGauss: number | undefined;

  constructor(seed: number) {
    this.seed(seed);
  }

  /** Restarts the stream, like `np.random.seed(seed)`; also forgets a cached normal. */
  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
      throw new RangeError(`RandomState: seed must be an integer between 0 and 2**32 - 1, got ${seed}`);
    }
    this.engine = MersenneTwister19937.seed(seed | 0);
    this.cachedGauss = undefined;
  }

  /** The next raw 32-bit word, 0 … 2³² − 1. */
  nextUint32(): number {
    return this.engine.next() >>> 0;
  }

  /** Uniform on [0, 1) with 53 random bits: two words, the top 27 and 26 bits. */
  private double(): number {
    const a = this.nextUint32() >>> 5,
      b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  // NOTE: the legacy polar (Marsaglia) method makes normals in pairs and caches the second
  // one for the next call, so an odd count shifts every later draw. NumPy keeps the cache
  // across calls of any kind (uniform draws do not clear it); only seed() does.
  private gauss(): number {
    if (this.cachedGauss !== undefined) {
      const g = this.cachedGauss;
      this.cachedGauss = undefined;
      return g;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.double() - 1;
      x2 = 2 * this.double() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * logCorrectlyRounded(r2)) / r2);
    this.cachedGauss = f * x1;
    return f * x2;
  }

  /** A uniform integer in [0, max], by masking and rejecting (NumPy's legacy "masked" method). */
  private interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let v: number;
    do v = (this.nextUint32() & mask) >>> 0;
    while (v > max);
    return v;
  }

  /** `random_sample(size)`: uniform on [0, 1); a number when size is omitted. */
  randomSample(): number;
  randomSample(size: Size): Filled<number>[];
  randomSample(size?: Size): Filled<number> {
    return fill(size, () => this.double());
  }

  /** `rand(d0, d1, …)`: uniform on [0, 1) of shape (d0, d1, …); `rand()` is one number. */
  rand(): number;
  rand(n: number): number[];
  rand(rows: number, cols: number): number[][];
  rand(...shape: number[]): Filled<number>;
  rand(...shape: number[]): Filled<number> {
    return fill(shape.length ? shape : undefined, () => this.double());
  }

  /** `randn(d0, d1, …)`: standard normal of shape (d0, d1, …). */
  randn(): number;
  randn(n: number): number[];
  randn(rows: number, cols: number): number[][];
  randn(...shape: number[]): Filled<number>;
  randn(...shape: number[]): Filled<number> {
    return fill(shape.length ? shape : undefined, () => this.gauss());
  }

  /** `standard_normal(size)`. */
  standardNormal(): number;
  standardNormal(size: Size): Filled<number>[];
  standardNormal(size?: Size): Filled<number> {
    return fill(size, () => this.gauss());
  }

  /** `normal(loc, scale, size)`: each value is loc + scale · (a standard normal). */
  normal(loc?: number, scale?: number): number;
  normal(loc: number, scale: number, size: number): number[];
  normal(loc: number, scale: number, size: [number, number]): number[][];
  normal(loc: number, scale: number, size: Size): Filled<number>[];
  normal(loc = 0, scale = 1, size?: Size): Filled<number> {
    if (!(scale >= 0)) throw new RangeError(`RandomState.normal: scale must be ≥ 0, got ${scale}`);
    return fill(size, () => loc + scale * this.gauss());
  }

  /** `randint(low, high, size)`: integers in [low, high); `randint(high)` means [0, high). */
  randint(low: number, high?: number): number;
  randint(low: number, high: number | undefined, size: number): number[];
  randint(low: number, high: number | undefined, size: Size): Filled<number>[];
  randint(low: number, high?: number, size?: Size): Filled<number> {
    if (high === undefined) [low, high] = [0, low];
    if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low || high - low > 2 ** 32) {
      throw new RangeError(
        `RandomState.randint: need integers low < high with high − low ≤ 2**32, got low ${low}, high ${high}`,
      );
    }
    const range = high - low - 1;
    // NOTE: a range of 0 draws nothing, and the full 32-bit range uses the raw word, as NumPy does.
    return fill(size, () => low + (range === 0 ? 0 : range === MAX_SEED ? this.nextUint32() : this.interval(range)));
  }

  /** `permutation(n)` is a shuffled 0 … n − 1; `permutation(array)` a shuffled copy. */
  permutation(n: number): number[];
  permutation<T>(items: readonly T[]): T[];
  permutation<T>(x: number | readonly T[]): (number | T)[] {
    const items: (number | T)[] = typeof x === "number" ? range(x, "permutation") : [...x];
    this.shuffle(items);
    return items;
  }

  /** `shuffle(array)`: in place, along the first axis (rows move as a whole), Fisher–Yates from the end. */
  shuffle<T>(items: T[]): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.interval(i);
      [items[i], items[j]] = [items[j], items[i]];
    }
  }

  /**
   * `choice(a, size, replace)`: picks from 0 … a − 1 (or from the array a). With replacement it
   * draws `randint(0, n)`; without, it takes the first `size` entries of `permutation(n)`.
   */
  choice(a: number): number;
  choice(a: number, size: number, replace?: boolean): number[];
  choice<T>(a: readonly T[], size: number, replace?: boolean): T[];
  choice<T>(a: number | readonly T[], size?: Size, replace = true): Filled<number | T> {
    const n = typeof a === "number" ? a : a.length;
    if (!Number.isInteger(n) || n <= 0)
      throw new RangeError(
        `RandomState.choice: a must be a positive integer or a non-empty array, got ${typeof a === "number" ? a : "an empty array"}`,
      );
    const pick = (i: number) => (typeof a === "number" ? i : a[i]);
    if (replace) return size === undefined ? pick(this.randint(0, n)) : mapFilled(this.randint(0, n, size), pick);
    const count = size === undefined ? 1 : sizeOf(size).reduce((p, d) => p * d, 1);
    if (count > n)
      throw new RangeError(`RandomState.choice: cannot take ${count} samples from ${n} without replacement`);
    const drawn = this.permutation(n).slice(0, count);
    if (size === undefined) return pick(drawn[0]);
    let k = 0;
    return fill(size, () => pick(drawn[k++]));
  }
}

const sizeOf = (size: Size): number[] => (typeof size === "number" ? [size] : size);

function range(n: number, who: string): number[] {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`RandomState.${who}: n must be a non-negative integer, got ${n}`);
  return Array.from({ length: n }, (_, i) => i);
}

/** Calls `draw` once per element in row-major order; one number when size is undefined. */
function fill<T>(size: Size | undefined, draw: () => T): Filled<T> {
  if (size === undefined) return draw();
  const shape = sizeOf(size);
  if (shape.length === 0) return draw();
  for (const d of shape)
    if (!Number.isInteger(d) || d < 0)
      throw new RangeError(`RandomState: size must be non-negative integers, got (${shape.join(", ")})`);
  const build = (dim: number): Filled<T>[] =>
    Array.from({ length: shape[dim] }, () => (dim === shape.length - 1 ? draw() : build(dim + 1)));
  return build(0);
}

function mapFilled<T, U>(v: Filled<T>, f: (x: T) => U): Filled<U> {
  return Array.isArray(v) ? v.map((x) => mapFilled(x, f)) : f(v);
}

// Inputs for section 05's cases: seeded matrices (as `{ nd }` markers, which become NDArrays in
// whichever process calls the function) and the MNIST subsets. Inputs only, never expected values.
import { mnistSubsets, type MnistSubsets } from "../notebooks/course/mnist";
import { sliceCols } from "../notebooks/course/nd";
import { RandomState } from "../notebooks/course/random";

export type ND = { nd: number[][] };
const nd = (rows: number[][]): ND => ({ nd: rows });

/**
 * Seeds for the cases' draws, handed out in the order the cases are written, `count` at a time (a
 * layer cache draws from two): no two cases share a draw, and nobody numbers them by hand. Adding a
 * case changes the draws of the cases after it, which is harmless: expected values are computed
 * from the solution, never stored.
 */
export function seedAllocator(first: number): (count?: number) => number {
  let next = first;
  return (count = 1) => {
    const seed = next;
    next += count;
    return seed;
  };
}

/** randn(rows, cols) · scale + shift from RandomState(seed), as an `{ nd }` argument. */
export const randnND = (seed: number, rows: number, cols: number, scale = 1, shift = 0): ND =>
  nd(new RandomState(seed).randn(rows, cols).map((r) => r.map((v) => v * scale + shift)));

/** Labels 0 … classes − 1 as a (1, m) row. */
export const labelsND = (seed: number, m: number, classes: number): ND =>
  nd([new RandomState(seed).randint(0, classes, m) as number[]]);

/** Labels as an (m, 1) column: Part B keeps one example per row. */
export const labelColumnND = (labels: number[]): ND => nd(labels.map((l) => [l]));

/** Parameters W1, b1, … for the layer sizes `dims`, with non-zero biases (so a forgotten bias shows). */
export function paramsND(seed: number, dims: number[]): Record<string, ND> {
  const rng = new RandomState(seed),
    out: Record<string, ND> = {};
  for (let l = 1; l < dims.length; l++) {
    out[`W${l}`] = nd(rng.randn(dims[l], dims[l - 1]).map((r) => r.map((v) => 0.5 * v)));
    out[`b${l}`] = nd(rng.randn(dims[l], 1).map((r) => r.map((v) => 0.1 * v)));
  }
  return out;
}

/** A layer's caches as layerBackward receives them: its input A (n_in, m) and its Z (n_out, m), some Z exactly 0. */
export function layerCacheND(seed: number, nIn: number, nOut: number, m: number) {
  const Z = new RandomState(seed + 1).randn(nOut, m).map((r, i) => r.map((v, j) => ((i + j) % 5 === 0 ? 0 : v)));
  return { linearCache: { A: randnND(seed, nIn, m) }, activationCache: { Z: nd(Z) } };
}

/** The checkNNGradients network's unrolled Θ with seeded uniform weights in ±0.5 (bias columns non-zero). */
export function nnParamsND(seed: number, input: number, hidden: number, labels: number): ND {
  const n = hidden * (input + 1) + labels * (hidden + 1);
  return nd((new RandomState(seed).rand(n) as number[]).map((v) => [v - 0.5]));
}

let subsets: MnistSubsets | undefined;
/** The course's MNIST subsets (seed 1: 2000 training, 1000 test images), loaded once. */
export const mnist = (): MnistSubsets => (subsets ??= mnistSubsets());

/** X and Y of the first `m` images of the MNIST training subset as `{ nd }` arguments (built when first asked for). */
export const mnistTrainingArgs = (m: number): [ND, ND] => [
  nd(sliceCols(mnist().trainX, 0, m).toArray()),
  nd(sliceCols(mnist().trainY, 0, m).toArray()),
];

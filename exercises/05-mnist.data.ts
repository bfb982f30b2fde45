// Inputs for section 05's cases: seeded matrices (as `{ nd }` markers, which become NDArrays in
// whichever process calls the function) and the MNIST subsets. Inputs only, never expected values.
import type { Plain } from "../notebooks/course/compare";
import { mnistSubsets, type MnistSubsets } from "../notebooks/course/mnist";
import { array, equal, mean } from "../notebooks/course/nd";
import type { NDArray } from "../notebooks/course/ndarray";
import { RandomState } from "../notebooks/course/random";
import { classify } from "../solutions/05-mnist";

export type ND = { nd: number[][] };
const nd = (rows: number[][]): ND => ({ nd: rows });

/** randn(rows, cols) · scale + shift from RandomState(seed), as an `{ nd }` argument. */
export const randnND = (seed: number, rows: number, cols: number, scale = 1, shift = 0): ND =>
  nd(new RandomState(seed).randn(rows, cols).map((r) => r.map((v) => v * scale + shift)));

/** Labels 0 … classes − 1 as a (1, m) row. */
export const labelsND = (seed: number, m: number, classes: number): ND => nd([new RandomState(seed).randint(0, classes, m) as number[]]);

/** Labels as an (m, 1) column: Part B keeps one example per row. */
export const labelColumnND = (labels: number[]): ND => nd(labels.map((l) => [l]));

/** Parameters W1, b1, … for the layer sizes `dims`, with non-zero biases (so a forgotten bias shows). */
export function paramsND(seed: number, dims: number[]): Record<string, ND> {
  const rng = new RandomState(seed), out: Record<string, ND> = {};
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

/** X and Y of the MNIST training subset as `{ nd }` arguments (built when first asked for). */
export const mnistTrainingArgs = (): [ND, ND] => [nd(mnist().trainX.toArray()), nd(mnist().trainY.toArray())];

/**
 * Judges a trained network: the learner's own parameters, classified by the reference `classify`
 * on the training and test subsets, must beat both accuracies; the cost must have come down.
 */
export function accuracyAbove(train: number, test: number) {
  return (value: Plain): string | undefined => {
    const { costs, parameters } = value as { costs: number[]; parameters: Record<string, number[][]> };
    if (!Array.isArray(costs) || costs.length === 0 || !costs.every(Number.isFinite)) return "costs must be a list of finite numbers, one per iteration";
    if (!(costs[costs.length - 1] < costs[0])) return `the cost did not come down (first ${costs[0].toPrecision(4)}, last ${costs[costs.length - 1].toPrecision(4)})`;
    const P: Record<string, NDArray> = {};
    const want: Record<string, [number, number]> = { W1: [200, 784], b1: [200, 1], W2: [10, 200], b2: [10, 1] };
    for (const [k, [r, c]] of Object.entries(want)) {
      const m = parameters?.[k];
      if (!Array.isArray(m) || m.length !== r || !Array.isArray(m[0]) || m[0].length !== c) return `parameters.${k} must be (${r}, ${c}) after training 784-200-10`;
      P[k] = array(m);
    }
    const accuracy = (X: NDArray, Y: NDArray) => mean(equal(classify(X, P), Y));
    const [a, b] = [accuracy(mnist().trainX, mnist().trainY), accuracy(mnist().testX, mnist().testY)];
    const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
    if (!(a > train && b > test)) return `after training, accuracy is ${pct(a)} on the training set and ${pct(b)} on the test set; both must be above ${pct(train)} and ${pct(test)}`;
    return undefined;
  };
}

// Section 05 as data: MNIST with a multi-layer network (Part A) and the classic regularized cost
// with gradient checking (Part B).
import { part as typedPart, type ArgsOf, type CaseOf, type ExerciseSet, type Fn, type JudgeContext, type Part, type PartOf, type Prepend } from "../grader/exercise-set";
import type * as S from "../solutions/05-mnist";
import type { Plain } from "../notebooks/course/compare";
import type { NDArray } from "../notebooks/course/ndarray";
import { labelColumnND, labelsND, layerCacheND, mnist, mnistTrainingArgs, nnParamsND, paramsND, randnND } from "./05-mnist.data";
import { loadEx4Weights } from "../notebooks/course/ex4";
import { array, equal, mean, reshape, sliceCols, vstack, zeros } from "../notebooks/course/nd";
import { notebook } from "./05-mnist.notebook";

const close = { rtol: 1e-9, atol: 1e-12 };
const trained = { rtol: 1e-6, atol: 1e-9 }; // products may be summed in another order
const numeric = { rtol: 1e-6, atol: 1e-9 };

const nd = (rows: number[][]) => ({ nd: rows });
/** Cases of the part F: ["label", ...arguments] each, the arguments checked against F's parameters. */
const cases = <F extends Fn>(...cs: Prepend<string, ArgsOf<F>>[]): CaseOf<F>[] => cs.map(([label, ...args]) => ({ label: label as string, args: args as ArgsOf<F> }));
/** A part typed against its solution F; its tolerance is `close` unless it says otherwise. */
const part = <F extends Fn>(p: Omit<PartOf<F>, "tolerance"> & { tolerance?: Part["tolerance"] }): Part => typedPart<F>({ tolerance: close, ...p });
const withZeros = nd([[0, 1.5, -2, 0], [0.25, 0, -0.5, 3], [-1, 2, 0, -0.75]]); // exact zeros: ReLU′(0) is 0
/** The checkNNGradients network's data X (5, 3): ex4's debugInitializeWeights(5, 2), sin(1 + i + 5j) / 10. */
const cnnX = nd(Array.from({ length: 5 }, (_, i) => Array.from({ length: 3 }, (_, j) => Math.sin(1 + i + 5 * j) / 10)));

/** ex4's regularization gap, J(λ = 1) − J(λ = 0) for m = 5000 with the course's trained Θ (X and y do not matter). */
function ex4RegularizationGap(solution: Record<string, any>): number {
  const { Theta1, Theta2 } = loadEx4Weights();
  const nnParams = vstack([reshape(Theta1, Theta1.size, 1), reshape(Theta2, Theta2.size, 1)]);
  const X = zeros(5000, 400), y = zeros(5000, 1);
  const J = (lambda: number) => solution.nnCostFunction(nnParams, 400, 25, 10, X, y, lambda)[0] as number;
  return J(1) - J(0);
}

/**
 * Judges a network trained on the first `m` training images: the learner's own parameters, and the
 * reference's from the same run, are classified by the reference's `classify` on those images and on
 * the 1,000 test images; the learner's accuracies must come within `points` of the reference's, and
 * the cost must have come down. Feedback gives the learner's accuracies, never the reference's.
 */
export function accuracyNearReference(m: number, points: number) {
  return (value: Plain, { solution, reference }: JudgeContext): string | undefined => {
    const { costs, parameters } = value as { costs: number[]; parameters: Record<string, number[][]> };
    if (!Array.isArray(costs) || costs.length === 0 || !costs.every(Number.isFinite)) return "costs must be a list of finite numbers, one per iteration";
    if (!(costs[costs.length - 1] < costs[0])) return `the cost did not come down (first ${costs[0].toPrecision(4)}, last ${costs[costs.length - 1].toPrecision(4)})`;
    const P: Record<string, NDArray> = {};
    const want: Record<string, [number, number]> = { W1: [200, 784], b1: [200, 1], W2: [10, 200], b2: [10, 1] };
    for (const [k, [r, c]] of Object.entries(want)) {
      const v = parameters?.[k];
      if (!Array.isArray(v) || v.length !== r || !Array.isArray(v[0]) || v[0].length !== c) return `parameters.${k} must be (${r}, ${c}) after training 784-200-10`;
      P[k] = array(v);
    }
    const X = sliceCols(mnist().trainX, 0, m), Y = sliceCols(mnist().trainY, 0, m);
    const accuracies = (p: Record<string, NDArray>) => [mean(equal(solution.classify(X, p), Y)), mean(equal(solution.classify(mnist().testX, p), mnist().testY))];
    const [a, b] = accuracies(P);
    const ref = (reference() as { parameters: Record<string, number[][]> }).parameters;
    const [ra, rb] = accuracies(Object.fromEntries(Object.entries(ref).map(([k, v]) => [k, array(v)])));
    const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
    if (a < ra - points / 100 || b < rb - points / 100) return `after training, accuracy is ${pct(a)} on the ${m} training images and ${pct(b)} on the test images: more than ${points} points below what the reference implementation reaches with the same run`;
    return undefined;
  };
}

export const exerciseSet: ExerciseSet = {
  section: "05-mnist",
  title: "MNIST: a multi-layer network, and the regularized cost with gradient checking",
  notebook,
  given: { doubledGradientCost: "as is", bumpyCost: "as is" },
  parts: [
    // ── Part A ──
    part<typeof S.relu>({
      name: "relu", points: 4, signature: "function relu(Z: NDArray): { A: NDArray; cache: ActivationCache }",
      publicCases: cases<typeof S.relu>(["a (2, 3) matrix", randnND(3, 2, 3)]),
      hiddenCases: cases<typeof S.relu>(["exact zeros and both signs", withZeros], ["one column", randnND(4, 5, 1)]),
      hint: "A = maximum(Z, 0); the cache keeps Z itself: return { A, cache: { Z } }.",
    }),
    part<typeof S.reluDer>({
      name: "reluDer", points: 5, signature: "function reluDer(dA: NDArray, cache: ActivationCache): NDArray", uses: [],
      publicCases: cases<typeof S.reluDer>(["a (2, 3) matrix", randnND(5, 2, 3), { Z: randnND(6, 2, 3) }]),
      hiddenCases: cases<typeof S.reluDer>(["Z with exact zeros (ReLU′(0) = 0)", randnND(7, 3, 4), { Z: withZeros }], ["a (4, 2) matrix", randnND(8, 4, 2), { Z: randnND(9, 4, 2) }]),
      hint: "dZ = dA ⊙ 1[Z > 0]: the gradient passes where Z is strictly positive — at Z = 0 it is 0 (`greater`, not `greaterEqual`).",
    }),
    part<typeof S.linear>({
      name: "linear", points: 2, signature: "function linear(Z: NDArray): { A: NDArray; cache: ActivationCache }",
      publicCases: cases<typeof S.linear>(["a (2, 3) matrix", randnND(10, 2, 3)]),
      hiddenCases: cases<typeof S.linear>(["a (3, 1) column", randnND(11, 3, 1)]),
      hint: "The identity: A is Z unchanged, and the cache keeps Z.",
    }),
    part<typeof S.linearDer>({
      name: "linearDer", points: 2, signature: "function linearDer(dA: NDArray, cache: ActivationCache): NDArray",
      publicCases: cases<typeof S.linearDer>(["a (2, 3) matrix", randnND(12, 2, 3), { Z: randnND(13, 2, 3) }]),
      hiddenCases: cases<typeof S.linearDer>(["negative Z", randnND(14, 3, 2), { Z: randnND(15, 3, 2, 1, -5) }]),
      hint: "The identity's slope is 1 everywhere: dZ = dA.",
    }),
    part<typeof S.softmaxCrossEntropyLoss>({
      name: "softmaxCrossEntropyLoss", points: 8,
      signature: "function softmaxCrossEntropyLoss(Z: NDArray, Y?: NDArray): { A: NDArray; cache: { A: NDArray }; loss?: number }",
      publicCases: cases<typeof S.softmaxCrossEntropyLoss>(["the course's example: seed(1), Z = randn(3, 4), Y = [[1, 0, 1, 2]]", randnND(1, 3, 4), nd([[1, 0, 1, 2]])], ["no labels: no loss", randnND(16, 4, 3)]),
      hiddenCases: cases<typeof S.softmaxCrossEntropyLoss>(
        ["large inputs (around 1000: e^z overflows without the max-shift)", randnND(17, 4, 5, 3, 1000), labelsND(18, 5, 4)],
        ["very negative inputs (around −1000)", randnND(19, 3, 4, 2, -1000), labelsND(20, 4, 3)],
        ["ten classes, six samples", randnND(21, 10, 6), labelsND(22, 6, 10)],
        ["no labels, one column", randnND(23, 5, 1)],
        ["one sample with its label", randnND(108, 3, 1), nd([[2]])],
      ),
      references: [{ label: "the course's loss for seed(1), randn(3, 4), Y = [[1, 0, 1, 2]]: 1.2223655548779273", args: [randnND(1, 3, 4), nd([[1, 0, 1, 2]])], pick: (v) => v.loss, expected: 1.2223655548779273, tolerance: { rtol: 0, atol: 1e-15 } }],
      hint: "A = exp(Z − max(Z, 0)) / column sums (subtract each column's max first, or e^z overflows); loss = −Σ log A[Y_j, j] / m (takeAlongAxis); leave `loss` out when there is no Y.",
    }),
    part<typeof S.softmaxCrossEntropyLossDer>({
      name: "softmaxCrossEntropyLossDer", points: 5, signature: "function softmaxCrossEntropyLossDer(Y: NDArray, cache: { A: NDArray }): NDArray",
      publicCases: cases<typeof S.softmaxCrossEntropyLossDer>(["three classes, four samples", nd([[1, 0, 1, 2]]), { A: nd([[0.2, 0.5, 0.1, 0.3], [0.7, 0.25, 0.6, 0.3], [0.1, 0.25, 0.3, 0.4]]) }]),
      hiddenCases: cases<typeof S.softmaxCrossEntropyLossDer>(
        ["four classes, seven samples (the 1/m matters)", labelsND(24, 7, 4), { A: nd([[0.1, 0.4, 0.25, 0.2, 0.3, 0.05, 0.6], [0.2, 0.3, 0.25, 0.2, 0.3, 0.05, 0.1], [0.3, 0.2, 0.25, 0.5, 0.2, 0.8, 0.2], [0.4, 0.1, 0.25, 0.1, 0.2, 0.1, 0.1]]) }],
        ["one sample", nd([[2]]), { A: nd([[0.1], [0.3], [0.6]]) }],
      ),
      hint: "dZ = (A − Ȳ) / m, where Ȳ = oneHot(Y, classes) has a 1 in row Y_j of column j, and m is the number of columns.",
    }),
    part<typeof S.initializeNetwork>({
      name: "initializeNetwork", points: 4, signature: "function initializeNetwork(netDims: number[], seed: number): Params",
      publicCases: cases<typeof S.initializeNetwork>(["[4, 3, 2], seed 1", [4, 3, 2], 1]),
      hiddenCases: cases<typeof S.initializeNetwork>(["[5, 4, 4, 3], seed 2", [5, 4, 4, 3], 2], ["[3, 2], seed 0", [3, 2], 0]),
      hint: "rng = new RandomState(seed); for each layer l = 1, 2, …: W_l = 0.01 · randn(rng, n_l, n_{l−1}), then b_l = zeros(n_l, 1) — in that order, one generator for all layers.",
    }),
    part<typeof S.linearForward>({
      name: "linearForward", points: 4, signature: "function linearForward(A: NDArray, W: NDArray, b: NDArray): { Z: NDArray; cache: LinearCache }",
      publicCases: cases<typeof S.linearForward>(["(3, 4) input, 2 units", randnND(25, 3, 4), randnND(26, 2, 3), randnND(27, 2, 1)]),
      hiddenCases: cases<typeof S.linearForward>(["(4, 4) input, 4 units", randnND(28, 4, 4), randnND(29, 4, 4), randnND(30, 4, 1)], ["one sample", randnND(31, 3, 1), randnND(32, 5, 3), randnND(33, 5, 1)]),
      hint: "Z = W·A + b with matmul (b (n, 1) is added to every column); the cache keeps the input: { A }.",
    }),
    part<typeof S.layerForward>({
      name: "layerForward", points: 3, uses: ["linearForward", "relu", "linear"],
      signature: "function layerForward(APrev: NDArray, W: NDArray, b: NDArray, activation: Activation): { A: NDArray; cache: LayerCache }",
      publicCases: cases<typeof S.layerForward>(["relu", randnND(34, 3, 4), randnND(35, 2, 3), randnND(36, 2, 1), "relu"]),
      hiddenCases: cases<typeof S.layerForward>(["linear", randnND(37, 3, 4), randnND(38, 2, 3), randnND(39, 2, 1), "linear"], ["relu, 5 units", randnND(40, 4, 3), randnND(41, 5, 4), randnND(42, 5, 1), "relu"]),
      hint: "linearForward, then relu or linear on its Z; cache = { linearCache, activationCache }.",
    }),
    part<typeof S.multiLayerForward>({
      name: "multiLayerForward", points: 5, uses: ["layerForward"],
      signature: "function multiLayerForward(X: NDArray, parameters: Params): { AL: NDArray; caches: LayerCache[] }",
      publicCases: cases<typeof S.multiLayerForward>(["[4, 3, 2], five samples", randnND(43, 4, 5), paramsND(44, [4, 3, 2])]),
      hiddenCases: cases<typeof S.multiLayerForward>(["[5, 4, 4, 3], three samples", randnND(45, 5, 3), paramsND(46, [5, 4, 4, 3])], ["a single layer [3, 2]", randnND(47, 3, 4), paramsND(48, [3, 2])]),
      hint: "L = number of layers (half the parameters); layers 1 … L−1 use relu, layer L linear; keep every layer's cache, in order.",
    }),
    part<typeof S.linearBackward>({
      name: "linearBackward", points: 6, signature: "function linearBackward(dZ: NDArray, cache: LinearCache, W: NDArray, b: NDArray): { dAPrev: NDArray; dW: NDArray; db: NDArray }",
      publicCases: cases<typeof S.linearBackward>(["2 units, 3 inputs, 4 samples", randnND(49, 2, 4), { A: randnND(50, 3, 4) }, randnND(51, 2, 3), randnND(52, 2, 1)]),
      hiddenCases: cases<typeof S.linearBackward>(
        ["a square layer (a transposed dW keeps its shape)", randnND(53, 4, 6), { A: randnND(54, 4, 6) }, randnND(55, 4, 4), randnND(56, 4, 1)],
        ["one sample", randnND(57, 3, 1), { A: randnND(58, 5, 1) }, randnND(59, 3, 5), randnND(60, 3, 1)],
      ),
      hint: "dA_prev = Wᵀ·dZ, dW = dZ·A_prevᵀ, db = sum(dZ, 1) (over the samples) — no extra 1/m: it is already in dZ.",
    }),
    part<typeof S.layerBackward>({
      name: "layerBackward", points: 3, uses: ["linearBackward", "reluDer", "linearDer"],
      signature: "function layerBackward(dA: NDArray, cache: LayerCache, W: NDArray, b: NDArray, activation: Activation): { dAPrev: NDArray; dW: NDArray; db: NDArray }",
      publicCases: cases<typeof S.layerBackward>(["relu", randnND(61, 2, 4), layerCacheND(62, 3, 2, 4), randnND(63, 2, 3), randnND(64, 2, 1), "relu"]),
      hiddenCases: cases<typeof S.layerBackward>(["linear", randnND(65, 3, 5), layerCacheND(66, 4, 3, 5), randnND(67, 3, 4), randnND(68, 3, 1), "linear"], ["relu, Z with zeros", randnND(69, 4, 5), layerCacheND(70, 3, 4, 5), randnND(71, 4, 3), randnND(72, 4, 1), "relu"]),
      hint: "dZ = reluDer(dA, activationCache) or linearDer(…), then linearBackward(dZ, linearCache, W, b).",
    }),
    part<typeof S.multiLayerBackward>({
      name: "multiLayerBackward", points: 5, uses: ["layerBackward"],
      signature: "function multiLayerBackward(dAL: NDArray, caches: LayerCache[], parameters: Params): Grads",
      publicCases: cases<typeof S.multiLayerBackward>(["[4, 3, 2], five samples", randnND(73, 2, 5), [layerCacheND(74, 4, 3, 5), layerCacheND(75, 3, 2, 5)], paramsND(76, [4, 3, 2])]),
      hiddenCases: cases<typeof S.multiLayerBackward>(["[5, 4, 4, 3]", randnND(77, 3, 3), [layerCacheND(78, 5, 4, 3), layerCacheND(79, 4, 4, 3), layerCacheND(80, 4, 3, 3)], paramsND(81, [5, 4, 4, 3])]),
      hint: "From layer L down to 1: the last layer is linear, the others relu; each layer's dA_prev is the next (lower) layer's dA; store dW_l and db_l.",
    }),
    part<typeof S.classify>({
      name: "classify", points: 3, uses: ["multiLayerForward", "softmaxCrossEntropyLoss"],
      signature: "function classify(X: NDArray, parameters: Params): NDArray",
      publicCases: cases<typeof S.classify>(["[4, 3, 3], six samples", randnND(82, 4, 6), paramsND(83, [4, 3, 3])]),
      hiddenCases: cases<typeof S.classify>(["[5, 4, 10], eight samples", randnND(84, 5, 8, 2), paramsND(85, [5, 4, 10])]),
      hint: "Forward pass, softmax of AL (no labels), then argmax(A, 0): the row of each column's largest probability, shape (1, m).",
    }),
    part<typeof S.updateParameters>({
      name: "updateParameters", points: 4,
      signature: "function updateParameters(parameters: Params, gradients: Grads, epoch: number, learningRate: number, decayRate = 0): { parameters: Params; alpha: number }",
      publicCases: cases<typeof S.updateParameters>(["[3, 2, 2], no decay", paramsND(86, [3, 2, 2]), grads(87, [3, 2, 2]), 0, 0.1]),
      hiddenCases: cases<typeof S.updateParameters>(["[4, 3, 3, 2], decay 0.01 at epoch 20", paramsND(88, [4, 3, 3, 2]), grads(89, [4, 3, 3, 2]), 20, 0.5, 0.01], ["[2, 2], epoch 5, no decay given", paramsND(90, [2, 2]), grads(91, [2, 2]), 5, 0.3]),
      hint: "α = learningRate / (1 + decayRate · epoch); W_l ← W_l − α·dW_l and b_l ← b_l − α·db_l for every layer; return { parameters, alpha }.",
    }),
    part<typeof S.multiLayerNetwork>({
      name: "multiLayerNetwork", points: 10, timeoutMs: 60_000, tolerance: trained,
      uses: ["initializeNetwork", "multiLayerForward", "softmaxCrossEntropyLoss", "softmaxCrossEntropyLossDer", "multiLayerBackward", "updateParameters"],
      signature: "function multiLayerNetwork(X: NDArray, Y: NDArray, netDims: number[], options: TrainOptions): { costs: number[]; parameters: Params }",
      publicCases: cases<typeof S.multiLayerNetwork>(["[6, 5, 3], ten samples, 4 iterations, seed 7", randnND(92, 6, 10), labelsND(93, 10, 3), [6, 5, 3], { numIterations: 4, learningRate: 0.5, seed: 7 }]),
      hiddenCases: [
        ...cases<typeof S.multiLayerNetwork>(
          ["[5, 4, 4, 3], decay and seed, 6 iterations", randnND(94, 5, 12), labelsND(95, 12, 3), [5, 4, 4, 3], { numIterations: 6, learningRate: 0.3, decayRate: 0.1, seed: 3 }],
          ["[4, 6, 2], 3 iterations", randnND(96, 4, 7), labelsND(97, 7, 2), [4, 6, 2], { numIterations: 3, learningRate: 1 }],
        ),
        // Last: the expensive one (mutation testing stops at the first case that catches a mutant).
        // NOTE: the notebook's 500 iterations on 2,000 images take 12 s of BLAS (and most of an hour on the
        // TypeScript fallback); 100 on 500 images reach ≈ 92 % / 85 % in a twentieth of that, and are judged
        // against the reference's own run of the same length.
        { label: "MNIST 784-200-10 on the first 500 training images, η = 0.1, 100 iterations: accuracy within 2 points of the reference's run", args: [...mnistTrainingArgs(500), [784, 200, 10], { numIterations: 100, learningRate: 0.1 }], judge: accuracyNearReference(500, 2) },
      ],
      hint: "Start from initializeNetwork(netDims, seed ?? 0); each iteration: forward, softmax loss (push it to costs), its derivative, multiLayerBackward, updateParameters(…, iteration, learningRate, decayRate ?? 0).",
    }),
    // ── Part B ──
    part<typeof S.sigmoidGradient>({
      name: "sigmoidGradient", points: 3, signature: "function sigmoidGradient(z: NDArray): NDArray",
      publicCases: cases<typeof S.sigmoidGradient>(["z = 0 (σ′(0) = 0.25)", nd([[0]])]),
      hiddenCases: cases<typeof S.sigmoidGradient>(["a row of five values", nd([[-2, -0.25, 0.75, 3, 6]])], ["large |z| (no NaN)", nd([[-800, -40], [40, 800]])], ["a (3, 4) matrix", randnND(98, 3, 4, 2)]),
      references: [{ label: "ex4's σ′ of [−1, −0.5, 0, 0.5, 1]: 0.196612 0.235004 0.250000 0.235004 0.196612", args: [nd([[-1, -0.5, 0, 0.5, 1]])], expected: [[0.196612, 0.235004, 0.25, 0.235004, 0.196612]], tolerance: { rtol: 0, atol: 5e-7 } }],
      hint: "σ′(z) = σ(z)·(1 − σ(z)), element-wise (nd.sigmoid is σ).",
    }),
    part<typeof S.randInitializeWeights>({
      name: "randInitializeWeights", points: 3, signature: "function randInitializeWeights(lIn: number, lOut: number, epsilon = 0.12, seed = 0): NDArray",
      publicCases: cases<typeof S.randInitializeWeights>(["3 inputs, 5 outputs", 3, 5]),
      hiddenCases: cases<typeof S.randInitializeWeights>(["2 inputs, 4 outputs, ε = 0.5, seed 7", 2, 4, 0.5, 7], ["1 input, 2 outputs, ε = 1", 1, 2, 1]),
      hint: "rand(new RandomState(seed), lOut, 1 + lIn) · 2ε − ε: uniform in [−ε, ε), with the bias column included.",
    }),
    part<typeof S.debugInitializeWeights>({
      name: "debugInitializeWeights", points: 3, signature: "function debugInitializeWeights(fanOut: number, fanIn: number): NDArray",
      publicCases: cases<typeof S.debugInitializeWeights>(["5 outputs, 3 inputs", 5, 3]),
      hiddenCases: cases<typeof S.debugInitializeWeights>(["3 outputs, 5 inputs", 3, 5], ["2 outputs, 1 input", 2, 1]),
      equivalentMutants: ["bound: i < W.rows → i <= W.rows"], // the extra row writes past the Float64Array's end: a no-op
      hint: "A (fanOut, 1 + fanIn) matrix of sin(1), sin(2), … divided by 10, filled column by column (down the first column first, as MATLAB reshapes).",
    }),
    part<typeof S.nnCostFunction>({
      name: "nnCostFunction", points: 12, tolerance: numeric, uses: ["sigmoidGradient"],
      signature: "function nnCostFunction(nnParams: NDArray, inputLayerSize: number, hiddenLayerSize: number, numLabels: number, X: NDArray, y: NDArray, lambda: number): [number, NDArray]",
      publicCases: cases<typeof S.nnCostFunction>(["3-5-3 network, five examples, λ = 0", nnParamsND(99, 3, 5, 3), 3, 5, 3, cnnX, labelColumnND([1, 2, 0, 1, 2]), 0]),
      hiddenCases: cases<typeof S.nnCostFunction>(
        ["3-5-3, λ = 3 (the bias columns are not regularized)", nnParamsND(100, 3, 5, 3), 3, 5, 3, cnnX, labelColumnND([1, 2, 0, 1, 2]), 3],
        ["4-3-4, six examples, λ = 1", nnParamsND(101, 4, 3, 4), 4, 3, 4, randnND(102, 6, 4), labelColumnND([3, 0, 1, 2, 3, 1]), 1],
        ["2-6-2, seven examples, λ = 0", nnParamsND(103, 2, 6, 2), 2, 6, 2, randnND(104, 7, 2), labelColumnND([0, 1, 1, 0, 1, 0, 0]), 0],
      ),
      references: [{ label: "ex4's regularization term with its trained Θ (m = 5000, λ = 1): 0.383770 − 0.287629 = 0.096141", args: [], compute: ex4RegularizationGap, expected: 0.096141, tolerance: { rtol: 0, atol: 1e-6 } }],
      hint: "Reshape nnParams (Θ1 rows then Θ2 rows); a1 = [1, X], z2 = a1·Θ1ᵀ, a2 = [1, σ(z2)], h = σ(a2·Θ2ᵀ); J = −Σ[y log h + (1−y) log(1−h)]/m + λ/(2m)·ΣΘ² without the first columns; δ3 = h − Y, δ2 = δ3·Θ2[:, 1:] ⊙ σ′(z2); Θ_grad = δᵀ·a/m + (λ/m)·Θ with a zero first column.",
    }),
    part<typeof S.computeNumericalGradient>({
      name: "computeNumericalGradient", points: 4, tolerance: numeric,
      signature: "function computeNumericalGradient(J: (theta: NDArray) => number, theta: NDArray, e = 1e-4): NDArray",
      publicCases: cases<typeof S.computeNumericalGradient>(["bumpyCost at a (4, 1) θ", { fn: "bumpyCost" }, randnND(105, 4, 1)]),
      hiddenCases: cases<typeof S.computeNumericalGradient>(["bumpyCost at a (2, 3) θ, e = 1e-3", { fn: "bumpyCost" }, randnND(106, 2, 3), 1e-3], ["bumpyCost at a (6, 1) θ", { fn: "bumpyCost" }, randnND(107, 6, 1, 2)]),
      equivalentMutants: ["bound: p < theta.size → p <= theta.size"], // the extra position is past the Float64Array's end: a no-op
      hint: "For each position p: θ± = θ with e added to / taken from θ_p; grad_p = (J(θ+) − J(θ−)) / (2e). Same shape as θ.",
    }),
    part<typeof S.checkNNGradients>({
      name: "checkNNGradients", points: 2, tolerance: numeric, uses: ["nnCostFunction", "computeNumericalGradient", "debugInitializeWeights"],
      signature: "function checkNNGradients(costFn: NnCost, lambda = 0): { numgrad: NDArray; grad: NDArray; diff: number }",
      publicCases: cases<typeof S.checkNNGradients>(["your nnCostFunction, λ left out (0)", { fn: "nnCostFunction" }]),
      hiddenCases: [
        ...cases<typeof S.checkNNGradients>(["your nnCostFunction, λ = 3", { fn: "nnCostFunction" }, 3], ["a cost whose gradient is twice too large (the difference must show it), λ left out", { fn: "doubledGradientCost" }]),
        { label: "relative difference under 1e-9 (λ = 3)", args: [{ fn: "nnCostFunction" }, 3], judge: (v) => ((v as { diff: number }).diff < 1e-9 ? undefined : `the relative difference is ${(v as { diff: number }).diff.toExponential(2)}, not under 1e-9`) },
      ],
      hint: "Θ1 = debugInitializeWeights(5, 3), Θ2 = debugInitializeWeights(3, 5), X = debugInitializeWeights(5, 2), y = (1 … 5) mod 3 as a column; diff = ‖numgrad − grad‖ / ‖numgrad + grad‖.",
    }),
  ],
};

/** Gradients dW1, db1, … shaped like paramsND(seed, dims). */
function grads(seed: number, dims: number[]) {
  return Object.fromEntries(Object.entries(paramsND(seed, dims)).map(([k, v]) => [`d${k}`, v]));
}

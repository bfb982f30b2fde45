// Section 05, Part A (first half): activations, the cost, initialization and the forward pass, as data.
import type { Part } from "../grader/sections";
import type * as S from "../solutions/05-mnist";
import { labelsND, paramsND, randnND } from "./05-mnist.data";
import { cases, COURSE_SEED, nd, part, type Seeds } from "./05-mnist.parts";

const withZeros = nd([
  [0, 1.5, -2, 0],
  [0.25, 0, -0.5, 3],
  [-1, 2, 0, -0.75],
]); // exact zeros: ReLU′(0) is 0

/** Part A's activations, cost and forward pass, their draws seeded in case order. */
export function forwardParts(seed: Seeds): Part[] {
  return [
    part<typeof S.relu>({
      name: "relu",
      points: 4,
      signature: "function relu(Z: NDArray): { A: NDArray; cache: ActivationCache }",
      publicCases: cases<typeof S.relu>(["a (2, 3) matrix", randnND(seed(), 2, 3)]),
      hiddenCases: cases<typeof S.relu>(
        ["exact zeros and both signs", withZeros],
        ["one column", randnND(seed(), 5, 1)],
      ),
      hint: "A = maximum(Z, 0); the cache keeps Z itself: return { A, cache: { Z } }.",
    }),
    part<typeof S.reluDer>({
      name: "reluDer",
      points: 5,
      signature: "function reluDer(dA: NDArray, cache: ActivationCache): NDArray",
      uses: [],
      publicCases: cases<typeof S.reluDer>(["a (2, 3) matrix", randnND(seed(), 2, 3), { Z: randnND(seed(), 2, 3) }]),
      hiddenCases: cases<typeof S.reluDer>(
        ["Z with exact zeros (ReLU′(0) = 0)", randnND(seed(), 3, 4), { Z: withZeros }],
        ["a (4, 2) matrix", randnND(seed(), 4, 2), { Z: randnND(seed(), 4, 2) }],
      ),
      hint: "dZ = dA ⊙ 1[Z > 0]: the gradient passes where Z is strictly positive — at Z = 0 it is 0 (`greater`, not `greaterEqual`).",
    }),
    part<typeof S.linear>({
      name: "linear",
      points: 2,
      signature: "function linear(Z: NDArray): { A: NDArray; cache: ActivationCache }",
      publicCases: cases<typeof S.linear>(["a (2, 3) matrix", randnND(seed(), 2, 3)]),
      hiddenCases: cases<typeof S.linear>(["a (3, 1) column", randnND(seed(), 3, 1)]),
      hint: "The identity: A is Z unchanged, and the cache keeps Z.",
    }),
    part<typeof S.linearDer>({
      name: "linearDer",
      points: 2,
      signature: "function linearDer(dA: NDArray, cache: ActivationCache): NDArray",
      publicCases: cases<typeof S.linearDer>(["a (2, 3) matrix", randnND(seed(), 2, 3), { Z: randnND(seed(), 2, 3) }]),
      hiddenCases: cases<typeof S.linearDer>([
        "negative Z",
        randnND(seed(), 3, 2),
        { Z: randnND(seed(), 3, 2, 1, -5) },
      ]),
      hint: "The identity's slope is 1 everywhere: dZ = dA.",
    }),
    part<typeof S.softmaxCrossEntropyLoss>({
      name: "softmaxCrossEntropyLoss",
      points: 8,
      signature:
        "function softmaxCrossEntropyLoss(Z: NDArray, Y?: NDArray): { A: NDArray; cache: { A: NDArray }; loss?: number }",
      publicCases: cases<typeof S.softmaxCrossEntropyLoss>(
        [
          "the course's example: seed(1), Z = randn(3, 4), Y = [[1, 0, 1, 2]]",
          randnND(COURSE_SEED, 3, 4),
          nd([[1, 0, 1, 2]]),
        ],
        ["no labels: no loss", randnND(seed(), 4, 3)],
      ),
      hiddenCases: cases<typeof S.softmaxCrossEntropyLoss>(
        [
          "large inputs (around 1000: e^z overflows without the max-shift)",
          randnND(seed(), 4, 5, 3, 1000),
          labelsND(seed(), 5, 4),
        ],
        ["very negative inputs (around −1000)", randnND(seed(), 3, 4, 2, -1000), labelsND(seed(), 4, 3)],
        ["ten classes, six samples", randnND(seed(), 10, 6), labelsND(seed(), 6, 10)],
        ["no labels, one column", randnND(seed(), 5, 1)],
        ["one sample with its label", randnND(seed(), 3, 1), nd([[2]])],
      ),
      references: [
        {
          label: "the course's loss for seed(1), randn(3, 4), Y = [[1, 0, 1, 2]]: 1.2223655548779273",
          args: [randnND(COURSE_SEED, 3, 4), nd([[1, 0, 1, 2]])],
          pick: (v) => v.loss,
          expected: 1.2223655548779273,
          tolerance: { rtol: 0, atol: 1e-15 },
        },
      ],
      hint: "A = exp(Z − max(Z, 0)) / column sums (subtract each column's max first, or e^z overflows); loss = −Σ log A[Y_j, j] / m (takeAlongAxis); leave `loss` out when there is no Y.",
    }),
    part<typeof S.softmaxCrossEntropyLossDer>({
      name: "softmaxCrossEntropyLossDer",
      points: 5,
      signature: "function softmaxCrossEntropyLossDer(Y: NDArray, cache: { A: NDArray }): NDArray",
      publicCases: cases<typeof S.softmaxCrossEntropyLossDer>([
        "three classes, four samples",
        nd([[1, 0, 1, 2]]),
        {
          A: nd([
            [0.2, 0.5, 0.1, 0.3],
            [0.7, 0.25, 0.6, 0.3],
            [0.1, 0.25, 0.3, 0.4],
          ]),
        },
      ]),
      hiddenCases: cases<typeof S.softmaxCrossEntropyLossDer>(
        [
          "four classes, seven samples (the 1/m matters)",
          labelsND(seed(), 7, 4),
          {
            A: nd([
              [0.1, 0.4, 0.25, 0.2, 0.3, 0.05, 0.6],
              [0.2, 0.3, 0.25, 0.2, 0.3, 0.05, 0.1],
              [0.3, 0.2, 0.25, 0.5, 0.2, 0.8, 0.2],
              [0.4, 0.1, 0.25, 0.1, 0.2, 0.1, 0.1],
            ]),
          },
        ],
        ["one sample", nd([[2]]), { A: nd([[0.1], [0.3], [0.6]]) }],
      ),
      hint: "dZ = (A − Ȳ) / m, where Ȳ = oneHot(Y, classes) has a 1 in row Y_j of column j, and m is the number of columns.",
    }),
    part<typeof S.initializeNetwork>({
      name: "initializeNetwork",
      points: 4,
      signature: "function initializeNetwork(netDims: number[], seed: number): Params",
      publicCases: cases<typeof S.initializeNetwork>(["[4, 3, 2], seed 1", [4, 3, 2], 1]),
      hiddenCases: cases<typeof S.initializeNetwork>(
        ["[5, 4, 4, 3], seed 2", [5, 4, 4, 3], 2],
        ["[3, 2], seed 0", [3, 2], 0],
      ),
      hint: "rng = new RandomState(seed); for each layer l = 1, 2, …: W_l = 0.01 · randn(rng, n_l, n_{l−1}), then b_l = zeros(n_l, 1) — in that order, one generator for all layers.",
    }),
    part<typeof S.linearForward>({
      name: "linearForward",
      points: 4,
      signature: "function linearForward(A: NDArray, W: NDArray, b: NDArray): { Z: NDArray; cache: LinearCache }",
      publicCases: cases<typeof S.linearForward>([
        "(3, 4) input, 2 units",
        randnND(seed(), 3, 4),
        randnND(seed(), 2, 3),
        randnND(seed(), 2, 1),
      ]),
      hiddenCases: cases<typeof S.linearForward>(
        ["(4, 4) input, 4 units", randnND(seed(), 4, 4), randnND(seed(), 4, 4), randnND(seed(), 4, 1)],
        ["one sample", randnND(seed(), 3, 1), randnND(seed(), 5, 3), randnND(seed(), 5, 1)],
      ),
      hint: "Z = W·A + b with matmul (b (n, 1) is added to every column); the cache keeps the input: { A }.",
    }),
    part<typeof S.layerForward>({
      name: "layerForward",
      points: 3,
      uses: ["linearForward", "relu", "linear"],
      signature:
        "function layerForward(APrev: NDArray, W: NDArray, b: NDArray, activation: Activation): { A: NDArray; cache: LayerCache }",
      publicCases: cases<typeof S.layerForward>([
        "relu",
        randnND(seed(), 3, 4),
        randnND(seed(), 2, 3),
        randnND(seed(), 2, 1),
        "relu",
      ]),
      hiddenCases: cases<typeof S.layerForward>(
        ["linear", randnND(seed(), 3, 4), randnND(seed(), 2, 3), randnND(seed(), 2, 1), "linear"],
        ["relu, 5 units", randnND(seed(), 4, 3), randnND(seed(), 5, 4), randnND(seed(), 5, 1), "relu"],
      ),
      hint: "linearForward, then relu or linear on its Z; cache = { linearCache, activationCache }.",
    }),
    part<typeof S.multiLayerForward>({
      name: "multiLayerForward",
      points: 5,
      uses: ["layerForward"],
      signature: "function multiLayerForward(X: NDArray, parameters: Params): { AL: NDArray; caches: LayerCache[] }",
      publicCases: cases<typeof S.multiLayerForward>([
        "[4, 3, 2], five samples",
        randnND(seed(), 4, 5),
        paramsND(seed(), [4, 3, 2]),
      ]),
      hiddenCases: cases<typeof S.multiLayerForward>(
        ["[5, 4, 4, 3], three samples", randnND(seed(), 5, 3), paramsND(seed(), [5, 4, 4, 3])],
        ["a single layer [3, 2]", randnND(seed(), 3, 4), paramsND(seed(), [3, 2])],
      ),
      hint: "L = number of layers (half the parameters); layers 1 … L−1 use relu, layer L linear; keep every layer's cache, in order.",
    }),
  ];
}

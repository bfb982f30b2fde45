// Section 05, Part B: ex4's regularized cost, backpropagation and gradient checking, as data.
import type { Part } from "../grader/sections";
import type * as S from "../solutions/05-mnist";
import type { Definitions } from "../notebooks/course/shared";
import { labelColumnND, nnParamsND, randnND } from "./05-mnist.data";
import { loadEx4Weights } from "../notebooks/course/ex4";
import { reshape, vstack, zeros } from "../notebooks/course/nd";
import { cases, nd, numeric, part, type Seeds } from "./05-mnist.parts";

/** The checkNNGradients network's data X (5, 3): ex4's debugInitializeWeights(5, 2), sin(1 + i + 5j) / 10. */
const cnnX = nd(Array.from({ length: 5 }, (_, i) => Array.from({ length: 3 }, (_, j) => Math.sin(1 + i + 5 * j) / 10)));

/** ex4's regularization gap, J(λ = 1) − J(λ = 0) for m = 5000 with the course's trained Θ (X and y do not matter). */
function ex4RegularizationGap(solution: Definitions): number {
  const { Theta1, Theta2 } = loadEx4Weights();
  const nnParams = vstack([reshape(Theta1, Theta1.size, 1), reshape(Theta2, Theta2.size, 1)]);
  const X = zeros(5000, 400),
    y = zeros(5000, 1);
  const J = (lambda: number) => solution.nnCostFunction(nnParams, 400, 25, 10, X, y, lambda)[0] as number;
  return J(1) - J(0);
}

/** Part B's parts, their draws seeded in case order. */
export function ex4Parts(seed: Seeds): Part[] {
  return [
    part<typeof S.sigmoidGradient>({
      name: "sigmoidGradient",
      points: 3,
      signature: "function sigmoidGradient(z: NDArray): NDArray",
      publicCases: cases<typeof S.sigmoidGradient>(["z = 0 (σ′(0) = 0.25)", nd([[0]])]),
      hiddenCases: cases<typeof S.sigmoidGradient>(
        ["a row of five values", nd([[-2, -0.25, 0.75, 3, 6]])],
        [
          "large |z| (no NaN)",
          nd([
            [-800, -40],
            [40, 800],
          ]),
        ],
        ["a (3, 4) matrix", randnND(seed(), 3, 4, 2)],
      ),
      references: [
        {
          label: "ex4's σ′ of [−1, −0.5, 0, 0.5, 1]: 0.196612 0.235004 0.250000 0.235004 0.196612",
          args: [nd([[-1, -0.5, 0, 0.5, 1]])],
          expected: [[0.196612, 0.235004, 0.25, 0.235004, 0.196612]],
          tolerance: { rtol: 0, atol: 5e-7 },
        },
      ],
      hint: "σ′(z) = σ(z)·(1 − σ(z)), element-wise (nd.sigmoid is σ).",
    }),
    part<typeof S.randInitializeWeights>({
      name: "randInitializeWeights",
      points: 3,
      signature: "function randInitializeWeights(lIn: number, lOut: number, epsilon = 0.12, seed = 0): NDArray",
      publicCases: cases<typeof S.randInitializeWeights>(["3 inputs, 5 outputs", 3, 5]),
      hiddenCases: cases<typeof S.randInitializeWeights>(
        ["2 inputs, 4 outputs, ε = 0.5, seed 7", 2, 4, 0.5, 7],
        ["1 input, 2 outputs, ε = 1", 1, 2, 1],
      ),
      hint: "rand(new RandomState(seed), lOut, 1 + lIn) · 2ε − ε: uniform in [−ε, ε), with the bias column included.",
    }),
    part<typeof S.debugInitializeWeights>({
      name: "debugInitializeWeights",
      points: 3,
      signature: "function debugInitializeWeights(fanOut: number, fanIn: number): NDArray",
      publicCases: cases<typeof S.debugInitializeWeights>(["5 outputs, 3 inputs", 5, 3]),
      hiddenCases: cases<typeof S.debugInitializeWeights>(["3 outputs, 5 inputs", 3, 5], ["2 outputs, 1 input", 2, 1]),
      equivalentMutants: ["bound: i < W.rows → i <= W.rows"], // the extra row writes past the Float64Array's end: a no-op
      hint: "A (fanOut, 1 + fanIn) matrix of sin(1), sin(2), … divided by 10, filled column by column (down the first column first, as MATLAB reshapes).",
    }),
    part<typeof S.nnCostFunction>({
      name: "nnCostFunction",
      points: 12,
      tolerance: numeric,
      uses: ["sigmoidGradient"],
      signature:
        "function nnCostFunction(nnParams: NDArray, inputLayerSize: number, hiddenLayerSize: number, numLabels: number, X: NDArray, y: NDArray, lambda: number): [number, NDArray]",
      publicCases: cases<typeof S.nnCostFunction>([
        "3-5-3 network, five examples, λ = 0",
        nnParamsND(seed(), 3, 5, 3),
        3,
        5,
        3,
        cnnX,
        labelColumnND([1, 2, 0, 1, 2]),
        0,
      ]),
      hiddenCases: cases<typeof S.nnCostFunction>(
        [
          "3-5-3, λ = 3 (the bias columns are not regularized)",
          nnParamsND(seed(), 3, 5, 3),
          3,
          5,
          3,
          cnnX,
          labelColumnND([1, 2, 0, 1, 2]),
          3,
        ],
        [
          "4-3-4, six examples, λ = 1",
          nnParamsND(seed(), 4, 3, 4),
          4,
          3,
          4,
          randnND(seed(), 6, 4),
          labelColumnND([3, 0, 1, 2, 3, 1]),
          1,
        ],
        [
          "2-6-2, seven examples, λ = 0",
          nnParamsND(seed(), 2, 6, 2),
          2,
          6,
          2,
          randnND(seed(), 7, 2),
          labelColumnND([0, 1, 1, 0, 1, 0, 0]),
          0,
        ],
      ),
      references: [
        {
          label: "ex4's regularization term with its trained Θ (m = 5000, λ = 1): 0.383770 − 0.287629 = 0.096141",
          args: [],
          compute: ex4RegularizationGap,
          expected: 0.096141,
          tolerance: { rtol: 0, atol: 1e-6 },
        },
      ],
      hint: "Reshape nnParams (Θ1 rows then Θ2 rows); a1 = [1, X], z2 = a1·Θ1ᵀ, a2 = [1, σ(z2)], h = σ(a2·Θ2ᵀ); J = −Σ[y log h + (1−y) log(1−h)]/m + λ/(2m)·ΣΘ² without the first columns; δ3 = h − Y, δ2 = δ3·Θ2[:, 1:] ⊙ σ′(z2); Θ_grad = δᵀ·a/m + (λ/m)·Θ with a zero first column.",
    }),
    part<typeof S.computeNumericalGradient>({
      name: "computeNumericalGradient",
      points: 4,
      tolerance: numeric,
      signature: "function computeNumericalGradient(J: (theta: NDArray) => number, theta: NDArray, e = 1e-4): NDArray",
      publicCases: cases<typeof S.computeNumericalGradient>([
        "bumpyCost at a (4, 1) θ",
        { fn: "bumpyCost" },
        randnND(seed(), 4, 1),
      ]),
      hiddenCases: cases<typeof S.computeNumericalGradient>(
        ["bumpyCost at a (2, 3) θ, e = 1e-3", { fn: "bumpyCost" }, randnND(seed(), 2, 3), 1e-3],
        ["bumpyCost at a (6, 1) θ", { fn: "bumpyCost" }, randnND(seed(), 6, 1, 2)],
      ),
      equivalentMutants: ["bound: p < theta.size → p <= theta.size"], // the extra position is past the Float64Array's end: a no-op
      hint: "For each position p: θ± = θ with e added to / taken from θ_p; grad_p = (J(θ+) − J(θ−)) / (2e). Same shape as θ.",
    }),
    part<typeof S.checkNNGradients>({
      name: "checkNNGradients",
      points: 2,
      tolerance: numeric,
      uses: ["nnCostFunction", "computeNumericalGradient", "debugInitializeWeights"],
      signature:
        "function checkNNGradients(costFn: NnCost, lambda = 0): { numgrad: NDArray; grad: NDArray; diff: number }",
      publicCases: cases<typeof S.checkNNGradients>(["your nnCostFunction, λ left out (0)", { fn: "nnCostFunction" }]),
      hiddenCases: [
        ...cases<typeof S.checkNNGradients>(
          ["your nnCostFunction, λ = 3", { fn: "nnCostFunction" }, 3],
          [
            "a cost whose gradient is twice too large (the difference must show it), λ left out",
            { fn: "doubledGradientCost" },
          ],
        ),
        {
          label: "relative difference under 1e-9 (λ = 3)",
          args: [{ fn: "nnCostFunction" }, 3],
          judge: (v) =>
            (v as { diff: number }).diff < 1e-9
              ? undefined
              : `the relative difference is ${(v as { diff: number }).diff.toExponential(2)}, not under 1e-9`,
        },
      ],
      hint: "Θ1 = debugInitializeWeights(5, 3), Θ2 = debugInitializeWeights(3, 5), X = debugInitializeWeights(5, 2), y = (1 … 5) mod 3 as a column; diff = ‖numgrad − grad‖ / ‖numgrad + grad‖.",
    }),
  ];
}

// Section 01 as data: one sigmoid unit trained by gradient descent.
// The worked example of errorTerm and weightStep (their public case) varies per learner.
import { loadSolution, part, sameParams, shownNumber as n, type ExerciseSet, type Variants } from "../grader/sections";
import type * as S from "../solutions/01-single-unit-gd";
import { notebookFor, type Example, type Step } from "./01-single-unit-gd.notebook";

const elementwise = { rtol: 1e-7, atol: 1e-10 };

/** The course's worked example (x = [0.1, 0.3], y = 0.2, w = [−0.8, 0.5], η = 0.5). */
const COURSE: Example = { x1: 0.1, x2: 0.3, y: 0.2, w1: -0.8, w2: 0.5, eta: 0.5 };
const variants: Variants<Example> = {
  params: {
    x1: { between: [-1, 1], decimals: 1 },
    x2: { between: [-1, 1], decimals: 1 },
    y: { oneOf: [0, 0.2, 0.4, 0.6, 0.8, 1] },
    w1: { between: [-1, 1], decimals: 1 },
    w2: { between: [-1, 1], decimals: 1 },
    eta: { oneOf: [0.1, 0.2, 0.5, 1] },
  },
  // A step worth checking: both inputs non-zero, and an output away from the target.
  reject: (e) => (e.x1 === 0 || e.x2 === 0 || Math.abs(stepOf(e).error) < 0.1 ? "a step of nothing" : undefined),
  defaults: COURSE,
  make: (e) => setFor(e),
  describe: ({ x1, x2, y, w1, w2, eta }) => `x = [${n(x1)}, ${n(x2)}], y = ${y}, w = [${n(w1)}, ${n(w2)}], η = ${eta}`,
};

/** The worked example's ŷ, y − ŷ and Δw, by the solution's own functions. */
function stepOf({ x1, x2, y, w1, w2, eta }: Example): Step {
  const s = loadSolution("01-single-unit-gd") as unknown as typeof S;
  const out = s.sigmoid(x1 * w1 + x2 * w2); // ŷ = σ(x·w)
  return { out, error: y - out, dw: s.weightStep([x1, x2], y, [w1, w2], eta) };
}

function setFor(e: Example): ExerciseSet {
  const shared = sameParams(e, COURSE);
  const label = shared ? "the course's worked example" : "your worked example";
  return {
    section: "01-single-unit-gd",
    title: "One sigmoid unit, trained by gradient descent",
    notebook: notebookFor(e, shared ? undefined : stepOf(e)),
    parts: [
      part<typeof S.sigmoid>({
        name: "sigmoid",
        points: 15,
        signature: "function sigmoid<T extends Tensor>(x: T): T",
        publicCases: [
          { label: "a number", args: [0] },
          { label: "an array", args: [[-2, 0, 2]] },
        ],
        hiddenCases: [
          { label: "a large negative number", args: [-30] },
          {
            label: "a nested array",
            args: [
              [
                [0.5, -1.5, 3],
                [10, -10, 0.25],
              ],
            ],
          },
          {
            label: "a mathjs matrix",
            args: [
              {
                matrix: [
                  [1, -1],
                  [2.5, -0.3],
                  [0, 7],
                ],
              },
            ],
          },
        ],
        tolerance: elementwise,
        hint: "σ(h) = 1 / (1 + e^(−h)), applied to every element: `map(x, h => …)` keeps the input's kind.",
      }),
      part<typeof S.sigmoidPrime>({
        name: "sigmoidPrime",
        points: 15,
        signature: "function sigmoidPrime<T extends Tensor>(x: T): T",
        publicCases: [
          { label: "a number", args: [0] },
          { label: "an array", args: [[-1, 1]] },
        ],
        hiddenCases: [
          { label: "a positive number", args: [2.2] },
          {
            label: "a nested array",
            args: [
              [
                [0.1, -4],
                [6, -0.7],
              ],
            ],
          },
          { label: "a mathjs matrix", args: [{ matrix: [[3, -2, 0.5]] }] },
        ],
        tolerance: elementwise,
        hint: "σ′(h) = σ(h)·(1 − σ(h)); its largest value is 0.25, at h = 0.",
      }),
      part<typeof S.errorTerm>({
        name: "errorTerm",
        points: 20,
        uses: ["sigmoid", "sigmoidPrime"],
        signature: "function errorTerm(x: number[], y: number, weights: number[]): number",
        publicCases: [{ label, args: [[e.x1, e.x2], e.y, [e.w1, e.w2]] }],
        hiddenCases: [
          { label: "a record with target 1", args: [[0.7, -0.2, 0.4], 1, [0.3, 0.9, -0.5]] },
          { label: "a record with target 0", args: [[-1.1, 0.5, 2, 0.3], 0, [0.05, -0.2, 0.1, 0.6]] },
        ],
        tolerance: elementwise,
        hint: "h = x·w (a dot product), ŷ = σ(h), δ = (y − ŷ)·σ′(h).",
      }),
      part<typeof S.weightStep>({
        name: "weightStep",
        points: 20,
        uses: ["errorTerm"],
        signature: "function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[]",
        publicCases: [{ label, args: [[e.x1, e.x2], e.y, [e.w1, e.w2], e.eta] }],
        hiddenCases: [
          { label: "three features, target 1", args: [[0.7, -0.2, 0.4], 1, [0.3, 0.9, -0.5], 0.1] },
          { label: "four features, target 0", args: [[-1.1, 0.5, 2, 0.3], 0, [0.05, -0.2, 0.1, 0.6], 2] },
        ],
        tolerance: elementwise,
        references: [
          {
            label: "the course's worked example, Δw ≈ [−0.0039638, −0.0118914]",
            args: [[0.1, 0.3], 0.2, [-0.8, 0.5], 0.5],
            expected: [-0.0039638, -0.0118914],
            tolerance: { rtol: 0, atol: 5e-8 },
          },
        ],
        hint: "Δwᵢ = η·δ·xᵢ: one step for every weight, so the result has as many entries as x.",
      }),
      part<typeof S.gradientDescentEpoch>({
        name: "gradientDescentEpoch",
        points: 30,
        uses: ["errorTerm"],
        signature:
          "function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[]",
        publicCases: [
          {
            label: "a batch of two records",
            args: [
              [
                [0.1, 0.3],
                [1, 2],
              ],
              [0.2, 1],
              [-0.8, 0.5],
              0.5,
            ],
          },
        ],
        hiddenCases: [
          { label: "a batch of one record", args: [[[0.5, -0.5, 1]], [1], [0.1, 0.2, 0.3], 0.5] },
          {
            label: "a batch of four records",
            args: [
              [
                [0.2, 1, -1],
                [0.9, -0.3, 0.1],
                [-0.4, 0.4, 0.8],
                [1.5, 0, -0.2],
              ],
              [0, 1, 1, 0],
              [-0.3, 0.25, 0.6],
              0.8,
            ],
          },
        ],
        tolerance: elementwise,
        hint: "Sum δ·x over all records, then w + η·Σ/m: divide by the number of records m, once.",
      }),
    ],
  };
}

export const exerciseSet: ExerciseSet = { ...setFor(COURSE), variants };

// Section 02 as data: graduate admissions — data preparation, gradient descent on one sigmoid
// unit, a multilayer forward pass and backpropagation, reproducing the course's numbers.
import { part, type ExerciseSet } from "../grader/sections";
import type * as S from "../solutions/02-admissions";
import { admissionRows, courseForwardPassArgs, courseTrainingSet, smallProblem } from "./02-admissions.data";
import { notebook } from "./02-admissions.notebook";

const elementwise = { rtol: 1e-7, atol: 1e-10 };
const training = { rtol: 1e-6, atol: 1e-9 }; // sums over many records may be taken in another order
const exact = { rtol: 0, atol: 0 };
const fiveApplicants = [
  { admit: 0, gre: 380, gpa: 3.61, rank: 3 },
  { admit: 1, gre: 660, gpa: 3.67, rank: 3 },
  { admit: 1, gre: 800, gpa: 4, rank: 1 },
  { admit: 1, gre: 640, gpa: 3.19, rank: 4 },
  { admit: 0, gre: 520, gpa: 2.93, rank: 2 },
];
const course42 = courseTrainingSet(42),
  course21 = courseTrainingSet(21);
const small = smallProblem(1, 4, 3),
  tiny = smallProblem(7, 5, 2),
  medium = smallProblem(3, 6, 4);

export const exerciseSet: ExerciseSet = {
  section: "02-admissions",
  title: "Graduate admissions: gradient descent and backpropagation",
  notebook,
  parts: [
    part<typeof S.prepareAdmissions>({
      name: "prepareAdmissions",
      points: 15,
      signature: "function prepareAdmissions(rows: AdmissionRow[]): Dataset",
      // Public: the prepared rows are in the course runs' public arguments anyway.
      publicCases: [
        { label: "five applicants", args: [fiveApplicants] },
        { label: "all 400 applicants", args: [admissionRows()] },
      ],
      hiddenCases: [
        {
          label: "six applicants from rank 1–3 schools only (rank_4 stays, all zeros)",
          args: [
            [
              { admit: 1, gre: 700, gpa: 3.9, rank: 1 },
              { admit: 0, gre: 440, gpa: 3.22, rank: 2 },
              { admit: 0, gre: 560, gpa: 2.98, rank: 3 },
              { admit: 1, gre: 620, gpa: 3.4, rank: 2 },
              { admit: 0, gre: 500, gpa: 3.01, rank: 3 },
              { admit: 1, gre: 780, gpa: 3.87, rank: 1 },
            ],
          ],
        },
        {
          label: "three applicants",
          args: [
            [
              { admit: 0, gre: 300, gpa: 2.5, rank: 4 },
              { admit: 1, gre: 800, gpa: 4, rank: 1 },
              { admit: 0, gre: 550, gpa: 3, rank: 2 },
            ],
          ],
        },
      ],
      tolerance: elementwise,
      hint: "Standardize gre and gpa as (v − mean) / sd with the sample sd (divide by n − 1, as pandas does); one 0/1 column per rank 1–4; order gre, gpa, rank_1 … rank_4.",
    }),
    part<typeof S.splitTrainTest>({
      name: "splitTrainTest",
      points: 10,
      signature: "function splitTrainTest(n: number, fraction: number, seed: number): Split",
      // Public: the course's two splits are implied by the course runs' public arguments.
      publicCases: [
        { label: "10 rows, 80 %, seed 0", args: [10, 0.8, 0] },
        { label: "the gradient-descent split (400 rows, 90 %, seed 42)", args: [400, 0.9, 42] },
        { label: "the backpropagation split (400 rows, 90 %, seed 21)", args: [400, 0.9, 21] },
      ],
      hiddenCases: [
        { label: "400 rows, 75 %, seed 5", args: [400, 0.75, 5] },
        { label: "7 rows, 50 % (a fractional count)", args: [7, 0.5, 3] },
        { label: "20 rows, 25 %, seed 12345", args: [20, 0.25, 12345] },
      ],
      tolerance: exact,
      hint: "new RandomState(seed).choice(n, ⌊n·fraction⌋, false) gives the training rows in the order drawn (keep that order); the test rows are the others, in their original order.",
    }),
    part<typeof S.trainSingleUnit>({
      name: "trainSingleUnit",
      points: 20,
      signature:
        "function trainSingleUnit(features: number[][], targets: number[], options: { epochs: number; learnrate: number; seed: number }): { weights: number[]; losses: number[] }",
      publicCases: [
        {
          label: "4 records, 3 features, 20 epochs",
          args: [small.features, small.targets, { epochs: 20, learnrate: 0.5, seed: 1 }],
        },
        // Public: the course publishes this run's losses, and the notebook prints them.
        {
          label: "the course's run (360 records, 1000 epochs, η = 0.5, seed 42)",
          args: [course42.features, course42.targets, { epochs: 1000, learnrate: 0.5, seed: 42 }],
        },
      ],
      hiddenCases: [
        {
          label: "the seed-21 training rows, 300 epochs, η = 0.1, seed 7",
          args: [course21.features, course21.targets, { epochs: 300, learnrate: 0.1, seed: 7 }],
        },
        {
          label: "5 records, 2 features, 10 epochs, η = 2",
          args: [tiny.features, tiny.targets, { epochs: 10, learnrate: 2, seed: 7 }],
        },
      ],
      tolerance: training,
      timeoutMs: 20000,
      references: [
        {
          label: "first and last training loss of the course's run",
          args: [course42.features, course42.targets, { epochs: 1000, learnrate: 0.5, seed: 42 }],
          pick: (v) => [v.losses[0], v.losses[9]],
          expected: [0.2627609385, 0.197030058018],
          tolerance: { rtol: 0, atol: 5e-13 },
        },
      ],
      equivalentMutants: [
        "off by one: 0 → 1 in features[0]", // every record has the same number of features
        "bound: j < n → j <= n", // adds a NaN past the end of Σδx, which the update loop never reads
      ],
      hint: "Weights start as new RandomState(seed).normal(0, 1/√n_features, n_features); each epoch sums δ·x over all records, then w += η·sum / n_records; record the training MSE when epoch % (epochs / 10) === 0, after the update.",
    }),
    part<typeof S.forwardPass>({
      name: "forwardPass",
      points: 10,
      signature:
        "function forwardPass(x: number[], weightsInputHidden: number[][], weightsHiddenOutput: number[][]): { hidden: number[]; output: number[] }",
      publicCases: [{ label: "the course's 4×3×2 network (seed 42)", args: courseForwardPassArgs() }],
      hiddenCases: [
        {
          label: "a 3×2×1 network",
          args: [
            [1, -0.5, 2],
            [
              [0.2, -0.4],
              [0.7, 0.1],
              [-0.3, 0.5],
            ],
            [[0.6], [-1.2]],
          ],
        },
        {
          label: "a 2×4×3 network with large weights",
          args: [
            [3, -2],
            [
              [2, -1, 0.5, 4],
              [1.5, 3, -2.5, 0.2],
            ],
            [
              [1, -2, 0.5],
              [0.3, 2, -1],
              [-1.5, 0.8, 2.2],
              [0.4, -0.6, 1],
            ],
          ],
        },
      ],
      tolerance: elementwise,
      hint: "hidden = σ(x·W_ih) with W_ih of shape (inputs, hidden); output = σ(hidden·W_ho) with W_ho of shape (hidden, outputs). vecMat(x, W) computes x·W.",
    }),
    part<typeof S.backpropStep>({
      name: "backpropStep",
      points: 25,
      signature:
        "function backpropStep(x: number[], target: number, weightsInputHidden: number[][], weightsHiddenOutput: number[], learnrate: number): { deltaWeightsInputHidden: number[][]; deltaWeightsHiddenOutput: number[] }",
      publicCases: [
        {
          label: "the course's worked example",
          args: [
            [0.5, 0.1, -0.2],
            0.6,
            [
              [0.5, -0.6],
              [0.1, -0.2],
              [0.1, 0.7],
            ],
            [0.1, -0.3],
            0.5,
          ],
        },
      ],
      hiddenCases: [
        {
          label: "4 inputs, 3 hidden units, target 0",
          args: [
            [1, -0.5, 0.25, 2],
            0,
            [
              [0.3, -0.2, 0.9],
              [-0.7, 0.4, 0.1],
              [0.5, 0.5, -0.5],
              [0.2, -0.8, 0.6],
            ],
            [1.1, -0.4, 0.7],
            0.1,
          ],
        },
        { label: "2 inputs, 1 hidden unit, target 1, η = 2", args: [[-1.5, 0.8], 1, [[0.9], [-0.3]], [2.5], 2] },
      ],
      tolerance: elementwise,
      references: [
        {
          label: "the course's worked example, Δw_ho",
          args: [
            [0.5, 0.1, -0.2],
            0.6,
            [
              [0.5, -0.6],
              [0.1, -0.2],
              [0.1, 0.7],
            ],
            [0.1, -0.3],
            0.5,
          ],
          pick: (v) => v.deltaWeightsHiddenOutput,
          expected: [0.00804047, 0.00555918],
          tolerance: { rtol: 0, atol: 5e-9 },
        },
      ],
      hint: "δᵒ = (y − ŷ)·ŷ(1 − ŷ); δʰⱼ = δᵒ·w_hoⱼ·aⱼ(1 − aⱼ) — both carry a sigmoid′ factor. Δw_ho = η·δᵒ·a (hidden,), Δw_ih[i][j] = η·δʰⱼ·xᵢ (inputs, hidden).",
    }),
    part<typeof S.trainTwoLayer>({
      name: "trainTwoLayer",
      points: 20,
      uses: ["backpropStep"],
      signature:
        "function trainTwoLayer(features: number[][], targets: number[], options: { hidden: number; epochs: number; learnrate: number; seed: number }): { weightsInputHidden: number[][]; weightsHiddenOutput: number[]; losses: number[]; mse: number[] }",
      publicCases: [
        {
          label: "6 records, 4 features, 2 hidden units, 10 epochs",
          args: [medium.features, medium.targets, { hidden: 2, epochs: 10, learnrate: 0.5, seed: 3 }],
        },
        // Public: the course publishes this run's losses, and the notebook prints them.
        {
          label: "the course's run (360 records, 2 hidden, 900 epochs, η = 0.005, seed 21)",
          args: [course21.features, course21.targets, { hidden: 2, epochs: 900, learnrate: 0.005, seed: 21 }],
        },
      ],
      hiddenCases: [
        {
          label: "the seed-42 training rows, 3 hidden units, 100 epochs, η = 0.05, seed 8",
          args: [course42.features, course42.targets, { hidden: 3, epochs: 100, learnrate: 0.05, seed: 8 }],
        },
        {
          label: "5 records, 3 hidden units, 20 epochs, η = 1",
          args: [tiny.features, tiny.targets, { hidden: 3, epochs: 20, learnrate: 1, seed: 5 }],
        },
      ],
      tolerance: training,
      timeoutMs: 20000,
      references: [
        {
          label: "first and last printed loss of the course's run",
          args: [course21.features, course21.targets, { hidden: 2, epochs: 900, learnrate: 0.005, seed: 21 }],
          pick: (v) => [v.losses[0], v.losses[9]],
          expected: [0.251357252426, 0.240400679325],
          tolerance: { rtol: 0, atol: 5e-13 },
        },
      ],
      equivalentMutants: ["off by one: 0 → 1 in features[0]"], // every record has the same number of features
      hint: "Draw W_ih (n_features, hidden) then w_ho (hidden,) from one RandomState(seed), both normal(0, 1/√n_features); sum the steps of every record, then add η·sum / n_records; `losses` uses the last record's output against every target, `mse` the real training MSE.",
    }),
  ],
};

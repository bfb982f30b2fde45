// Section 04 as data: the 2-3-1 ReLU network (MIT 6.86x), trained by per-example SGD.
import { methodPart, part, type ExerciseSet, type JudgeContext } from "../grader/sections";
import type * as S from "../solutions/04-relu-2-3-1";
import type { Plain } from "../notebooks/course/shared";
import { notebook } from "./04-relu-2-3-1.notebook";

const close = { rtol: 1e-9, atol: 1e-12 };
const WEIGHTS = ["inputToHiddenWeights", "hiddenToOutputWeights", "biases"];

/** A network state: W (3, 2), V (1, 3), b (3, 1) and a learning rate. */
const state = (W: number[][], V: number[], b: number[], learningRate = 0.001) => ({
  inputToHiddenWeights: W,
  hiddenToOutputWeights: [V],
  biases: b.map((v) => [v]),
  learningRate,
});
const start = state(
  [
    [1, 1],
    [1, 1],
    [1, 1],
  ],
  [1, 1, 1],
  [0, 0, 0],
);
const mixed = state(
  [
    [0.5, -0.2],
    [0.3, 0.8],
    [-0.4, 0.9],
  ],
  [0.7, -1.1, 0.4],
  [0.1, -0.2, 0.3],
  0.01,
);
const oneInactive = state(
  [
    [1, 1],
    [-2, -1],
    [0.5, 0.5],
  ],
  [1, 2, -1],
  [0, 0.5, -0.1],
  0.01,
);
const atZero = state(
  [
    [1, -1],
    [1, 1],
    [2, -4],
  ],
  [1, 1, 1],
  [0, 0, 0],
  0.01,
); // unit 3: z = 0 for x = (2, 1)
const allInactive = state(
  [
    [-1, -1],
    [-0.5, -2],
    [-1, 0.2],
  ],
  [1, 1, 1],
  [0, -0.1, -0.3],
  0.01,
);
// About where the course's training ends (data/README.md): every test point within 0.1.
const trained = state(
  [
    [1.0475, 1.0614],
    [1.0475, 1.0614],
    [1.0475, 1.0614],
  ],
  [1.1071, 1.1071, 1.1071],
  [0.0103, 0.0103, 0.0103],
);
// Predicts 7.08·t on (t, t): passes (1, 1) (off by 0.08), fails (2, 2) (off by 0.16).
const drifting = state(
  [
    [1, 1],
    [1, 1],
    [1, 1],
  ],
  [1.18, 1.18, 1.18],
  [0, 0, 0],
);
const COURSE_POINTS: [[number, number], number][] = [
  [[2, 1], 10],
  [[3, 3], 21],
  [[4, 5], 32],
  [[6, 6], 42],
];

/** Judges a trained state: every training point's loss ½(y − ŷ)² under 0.15 (the course's run reaches 0.134). */
function trainingErrorUnder(limit: number) {
  return (value: Plain, { solution }: JudgeContext): string | undefined => {
    const net = Object.assign(new solution.NeuralNetwork(), (value as { state: object }).state);
    for (const [[x1, x2], y] of COURSE_POINTS) {
      const loss = 0.5 * (y - net.predict(x1, x2)) ** 2;
      if (!(loss < limit))
        return `after training, the loss ½(y − ŷ)² on the training point (${x1}, ${x2}) is ${loss.toPrecision(3)}, not under ${limit}`;
    }
    return undefined;
  };
}

const scalar = (
  name: string,
  points: number,
  hint: string,
  publicArgs: number[],
  hiddenArgs: [string, number][],
  equivalentMutants?: string[],
) =>
  part<(x: number) => number>({
    name,
    points,
    hint,
    tolerance: close,
    equivalentMutants,
    signature: `function ${name}(x: number): number`,
    publicCases: publicArgs.map((x) => ({ label: `x = ${x}`, args: [x] })),
    hiddenCases: hiddenArgs.map(([label, x]) => ({ label, args: [x] })),
  });

export const exerciseSet: ExerciseSet = {
  section: "04-relu-2-3-1",
  title: "The 2-3-1 ReLU network",
  notebook,
  given: { NeuralNetwork: { stubMethods: ["train", "predict", "trainNeuralNetwork", "testNeuralNetwork"] } },
  parts: [
    scalar(
      "relu",
      10,
      "max(0, x): x when x is positive, otherwise 0.",
      [2.5, -1],
      [
        ["zero", 0],
        ["a small negative number", -1e-9],
        ["a number between 0 and 1", 0.3],
        ["a large number", 1e6],
      ],
      ["bound: x > 0 → x >= 0"],
    ),
    scalar(
      "reluDerivative",
      10,
      "1 when x > 0, otherwise 0 — including at x = 0 exactly.",
      [3, -2],
      [
        ["zero (the course takes 0)", 0],
        ["a small positive number", 1e-9],
        ["a negative number", -0.5],
      ],
    ),
    scalar(
      "outputActivation",
      5,
      "The output is linear: return x unchanged.",
      [4.2],
      [
        ["a negative number", -3.5],
        ["zero", 0],
      ],
    ),
    scalar(
      "outputActivationDerivative",
      5,
      "The derivative of the identity is the constant 1.",
      [4.2],
      [
        ["a negative number", -3.5],
        ["zero", 0],
      ],
    ),
    methodPart<typeof S.NeuralNetwork, "train">({
      name: "NeuralNetwork.train",
      points: 30,
      uses: ["relu", "reluDerivative", "outputActivation", "outputActivationDerivative"],
      method: { stateFields: WEIGHTS },
      signature: "train(x1: number, x2: number, y: number): void",
      publicCases: [{ label: "the course's start, example ((2, 1) → 10)", args: [start, 2, 1, 10] }],
      hiddenCases: [
        { label: "mixed-sign weights, all hidden units active", args: [mixed, 3, 2, 5] },
        { label: "one hidden unit inactive (z < 0)", args: [oneInactive, 2, 1, 10] },
        { label: "one hidden unit exactly at z = 0", args: [atZero, 2, 1, 10] },
        { label: "every hidden unit inactive", args: [allInactive, 1, 2, 3] },
        { label: "a prediction above its target", args: [mixed, -1, 4, -6] },
      ],
      equivalentMutants: ["missing factor: (yHat - y) * outputActivationDerivative(u) → (yHat - y)"], // f′ = 1
      tolerance: close,
      hint: "Forward: z = W·x + b, a = ReLU(z), ŷ = V·a. Backward: δᵒ = (ŷ − y)·f′(u), δʰ = Vᵀδᵒ ⊙ ReLU′(z). Step (subtract!): V −= η·δᵒ·aᵀ (1, 3), W −= η·δʰ·xᵀ (3, 2), b −= η·δʰ (3, 1), all from the weights before the step.",
    }),
    methodPart<typeof S.NeuralNetwork, "predict">({
      name: "NeuralNetwork.predict",
      points: 15,
      uses: ["relu", "outputActivation"],
      method: { stateFields: [] },
      signature: "predict(x1: number, x2: number): number",
      publicCases: [{ label: "the course's start, (1, 1)", args: [start, 1, 1] }],
      hiddenCases: [
        { label: "mixed-sign weights", args: [mixed, 3, 2] },
        { label: "one hidden unit inactive", args: [oneInactive, 2, 1] },
        { label: "every hidden unit inactive", args: [allInactive, 1, 2] },
      ],
      tolerance: close,
      hint: "ŷ = f(V·ReLU(W·x + b)), with the biases b (3, 1) added before the ReLU and f the output activation.",
    }),
    methodPart<typeof S.NeuralNetwork, "trainNeuralNetwork">({
      name: "NeuralNetwork.trainNeuralNetwork",
      points: 15,
      uses: ["NeuralNetwork.train"],
      method: { stateFields: WEIGHTS },
      signature: "trainNeuralNetwork(): void",
      publicCases: [{ label: "the course's run (10 epochs from the fixed start)", args: [{}] }],
      hiddenCases: [
        { label: "3 epochs from mixed-sign weights", args: [{ ...mixed, epochsToTrain: 3 }] },
        {
          label: "two training points, 4 epochs",
          args: [
            {
              ...start,
              epochsToTrain: 4,
              trainingPoints: [
                [[1, 2], 11],
                [[2, 2], 14],
              ],
            },
          ],
        },
        {
          label: "the course's run: training error under 0.15 on every point",
          args: [{}],
          judge: trainingErrorUnder(0.15),
        },
      ],
      tolerance: { rtol: 1e-7, atol: 1e-10 },
      references: [
        {
          label: "weights after the course's run (data/README.md: W rows ≈ [1.0475, 1.0614], b ≈ 0.0103, V ≈ 1.1071)",
          args: [{}],
          pick: (v) => [...v.state.inputToHiddenWeights[0], v.state.biases[0][0], v.state.hiddenToOutputWeights[0][0]],
          expected: [1.0475, 1.0614, 0.0103, 1.1071],
          tolerance: { rtol: 0, atol: 6e-5 },
        },
      ],
      hint: "For each of epochsToTrain epochs, call this.train(x1, x2, y) once per training point, in the listed order.",
    }),
    methodPart<typeof S.NeuralNetwork, "testNeuralNetwork">({
      name: "NeuralNetwork.testNeuralNetwork",
      points: 10,
      uses: ["NeuralNetwork.predict"],
      method: { stateFields: [] },
      signature: "testNeuralNetwork(): number[]",
      publicCases: [{ label: "a trained network (every point passes)", args: [trained] }],
      hiddenCases: [
        { label: "the untrained start (fails at the first point)", args: [start] },
        { label: "a network that passes one point, then fails", args: [drifting] },
        {
          label: "a trained network on other test points",
          args: [
            {
              ...trained,
              testingPoints: [
                [4, 4],
                [6, 6],
                [8, 8],
              ],
            },
          ],
        },
      ],
      equivalentMutants: ["bound: Math.abs(p - 7 * x1) >= 0.1 → Math.abs(p - 7 * x1) > 0.1"], // no prediction lands exactly 0.1 away
      tolerance: close,
      hint: "Predict each test point in order and keep the prediction; stop right after the first one that is 0.1 or more away from 7·x1.",
    }),
  ],
};

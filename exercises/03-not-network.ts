// Section 03 as data: the NOT network — one tanh neuron, its cost, and the chain rule.
// The starting neuron (w, b) and the letters of the chain-rule statements vary per learner.
import {
  loadSolution,
  part,
  sameParams,
  shownNumber as shown,
  type ExerciseSet,
  type Variants,
} from "../grader/sections";
import type { Definitions } from "../notebooks/course/shared";
import type * as S from "../solutions/03-not-network";
import { notebookFor, type Start } from "./03-not-network.notebook";

const close = { rtol: 1e-7, atol: 1e-10 };
const NOT: [number, number][] = [
  [0, 1],
  [1, 0],
];

/** The chain rule's statements, in the course's order (a … e); a variant gives them other letters. */
const STATEMENTS: { text: string; true: boolean }[] = [
  { text: "∂C/∂a¹ = 2(a¹ − y).", true: true },
  { text: "With σ = tanh, ∂a¹/∂z¹ = 1/cosh²(z¹).", true: true },
  { text: "∂z¹/∂w¹ = w¹.", true: false },
  { text: "∂z¹/∂b¹ = 1, so ∂C/∂b¹ is ∂C/∂w¹ without the factor a⁰.", true: true },
  { text: "For the example x = 0, the weight's gradient ∂C/∂w¹ is at its largest.", true: false },
];
const LETTERS = "abcde";

const variants: Variants<Start> = {
  params: {
    w: { between: [-2.5, 2.5], decimals: 2 },
    b: { between: [-1.5, 1.5], decimals: 2 },
    order: { order: STATEMENTS.length },
  },
  // A start worth walking down from: not at the valley floor, and inputs 0 and 1 that differ.
  reject: ({ w, b }) =>
    Math.abs(w) < 0.5 || Math.abs(b) < 0.1 || Math.abs(w + b) < 0.1 || solution().trainingSetCost(w, b, NOT) < 0.4
      ? "too close to the minimum"
      : undefined,
  defaults: { w: 1.3, b: -0.1, order: [0, 1, 2, 3, 4] },
  make: (p) => setFor(p),
  describe: ({ w, b }) => `w¹ = ${shown(w)}, b¹ = ${shown(b)}`,
};

const solution = () => loadSolution("03-not-network") as unknown as typeof S;

function setFor({ w, b, order }: Start): ExerciseSet {
  // order[i]: which statement letter i shows
  const statements = Object.fromEntries(order.map((s, i) => [LETTERS[i], STATEMENTS[s].text]));
  const truth = order.flatMap((s, i) => (STATEMENTS[s].true ? [LETTERS[i]] : []));
  const isDefault = sameParams({ w, b, order }, variants.defaults);
  return {
    section: "03-not-network",
    title: "The NOT network and the chain rule",
    notebook: notebookFor({ w, b, order }, isDefault),
    parts: [
      part<typeof S.a1>({
        name: "a1",
        points: 10,
        signature: "function a1(w1: number, b1: number, a0: number): number",
        publicCases: [{ label: "the starting neuron, input 1", args: [w, b, 1] }],
        hiddenCases: [
          { label: "the starting neuron, input 0", args: [w, b, 0] },
          { label: "a negative weight and a fractional input", args: [-2.5, 0.4, 0.6] },
          { label: "a saturated neuron", args: [8, 3, 1] },
        ],
        tolerance: close,
        hint: "z¹ = w¹·a⁰ + b¹, then a¹ = tanh(z¹) (Math.tanh) — not the logistic sigmoid.",
      }),
      part<typeof S.cost>({
        name: "cost",
        points: 10,
        uses: ["a1"],
        signature: "function cost(w1: number, b1: number, x: number, y: number): number",
        publicCases: [{ label: "the starting neuron on (1 → 0)", args: [w, b, 1, 0] }],
        hiddenCases: [
          { label: "an output below its target", args: [0.5, -1, 1, 1] },
          { label: "a negative output with target 0", args: [-2, 0.3, 0.8, 0] },
        ],
        tolerance: close,
        hint: "Cₖ = (a¹ − y)²: the square of the difference, never negative.",
      }),
      part<typeof S.trainingSetCost>({
        name: "trainingSetCost",
        points: 10,
        uses: ["cost"],
        signature: "function trainingSetCost(w1: number, b1: number, examples: [number, number][]): number",
        publicCases: [{ label: "the NOT examples at the start", args: [w, b, NOT] }],
        hiddenCases: [
          { label: "the NOT examples near the minimum", args: [-3, 3, NOT] },
          {
            label: "three examples",
            args: [
              0.7,
              0.2,
              [
                [0, 1],
                [1, 0],
                [0.5, 0.5],
              ],
            ],
          },
        ],
        tolerance: close,
        hint: "The mean of the example costs: add Cₖ over the examples, divide by how many there are.",
      }),
      part<typeof S.dCdw>({
        name: "dCdw",
        points: 15,
        uses: ["a1"],
        signature: "function dCdw(w1: number, b1: number, x: number, y: number): number",
        publicCases: [{ label: "the starting neuron on (1 → 0)", args: [w, b, 1, 0] }],
        hiddenCases: [
          { label: "a fractional input", args: [-0.8, 0.5, 0.6, 1] },
          { label: "a large pre-activation", args: [2.5, 0.5, 1.5, 0] },
          { label: "input 0 (no gradient for the weight)", args: [w, b, 0, 1] },
        ],
        tolerance: close,
        hint: "∂C/∂w¹ = ∂C/∂a¹ · ∂a¹/∂z¹ · ∂z¹/∂w¹ = 2(a¹ − y) · 1/cosh²(z¹) · a⁰.",
      }),
      part<typeof S.dCdb>({
        name: "dCdb",
        points: 15,
        uses: ["a1"],
        signature: "function dCdb(w1: number, b1: number, x: number, y: number): number",
        publicCases: [{ label: "the starting neuron on (0 → 1)", args: [w, b, 0, 1] }],
        hiddenCases: [
          { label: "a fractional input", args: [-0.8, 0.5, 0.6, 1] },
          { label: "a large pre-activation", args: [2.5, 0.5, 1.5, 0] },
        ],
        tolerance: close,
        hint: "∂C/∂b¹ = 2(a¹ − y) · 1/cosh²(z¹) · ∂z¹/∂b¹, and ∂z¹/∂b¹ = 1: no factor a⁰ here.",
        equivalentMutants: ["missing factor: dCda * dadz * dzdb → dCda * dadz"], // dzdb = 1
      }),
      part<typeof S.vectorCost>({
        name: "vectorCost",
        points: 15,
        signature: "function vectorCost(W: number[][], b: number[], x: number[], y: number[]): number",
        publicCases: [
          {
            label: "2 inputs, 2 outputs",
            args: [
              [
                [1, -0.5],
                [0.3, 0.8],
              ],
              [0.1, -0.2],
              [0.5, 1],
              [1, 0],
            ],
          },
        ],
        hiddenCases: [
          {
            label: "3 inputs, 2 outputs (W is 2×3)",
            args: [
              [
                [0.2, -1, 0.5],
                [1.5, 0.3, -0.4],
              ],
              [0, 0.5],
              [1, 0.5, -1],
              [0, 1],
            ],
          },
          {
            label: "2 inputs, 3 outputs (W is 3×2)",
            args: [
              [
                [0.7, 0.1],
                [-1.2, 0.4],
                [0.05, -0.6],
              ],
              [0.3, 0, -0.1],
              [2, -1],
              [1, 0, 1],
            ],
          },
        ],
        tolerance: close,
        hint: "a = tanh(W·x + b) row by row (W has one row per output); then |a − y|² = Σᵢ (aᵢ − yᵢ)², the squared length, without a square root.",
      }),
      {
        name: "answer_C0",
        points: 10,
        signature: "const answer_C0: number | null",
        publicCases: [],
        hiddenCases: [],
        answer: {
          type: "number",
          atol: 6e-5,
          prompt: `The training-set cost C of ${isDefault ? "the" : "your"} starting neuron (w¹ = ${shown(w)}, b¹ = ${shown(b)}) over the two NOT examples, to four decimal places.`,
          // The shared notebook's answer is the solution's constant; a variant's is computed by its functions.
          ...(isDefault ? {} : { expected: (s: Definitions) => (s as typeof S).trainingSetCost(w, b, NOT) }),
        },
        tolerance: close,
        hint: `C is the mean of (a¹ − y)² over (0 → 1) and (1 → 0) at w¹ = ${shown(w)}, b¹ = ${shown(b)}: trainingSetCost(${w}, ${b}, [[0, 1], [1, 0]]) gives it.`,
      },
      {
        name: "answer_chainRule",
        points: 15,
        signature: "const answer_chainRule: string[] | null",
        publicCases: [],
        hiddenCases: [],
        answer: {
          type: "choices",
          prompt: "Select every true statement about the NOT neuron's chain rule (each is graded on its own).",
          statements,
          ...(isDefault ? {} : { expected: () => truth }),
        },
        tolerance: close,
        hint: "Write z¹ = w¹a⁰ + b¹ and differentiate it by w¹ and by b¹; then look at what the factor a⁰ does when x = 0.",
      },
    ],
  };
}

export const exerciseSet: ExerciseSet = { ...setFor(variants.defaults), variants };

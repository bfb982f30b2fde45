// The learner's notebook for section 03, cell by cell. `stub` and `check` cells are filled in
// by the builder from the exercise set, so signatures and part names live in one place.
// A learner's variant changes the starting neuron (w, b) in the text and the code.
import { shownNumber as shown, type NotebookCell } from "../grader/sections";

/** What varies in section 03: the starting neuron, and which letter each chain-rule statement gets. */
export type Start = { w: number; b: number; order: number[] };

/** The notebook for a starting neuron; `shared` is the course's own (the same numbers for everyone). */
export const notebookFor = ({ w, b }: Start, shared: boolean): NotebookCell[] => [
  {
    markdown: `# 03 · The NOT network and the chain rule

The smallest network there is: one input neuron a⁰ and one output neuron a¹, joined by a
weight w¹, with a bias b¹. We want it to compute NOT: input 0 → output 1, input 1 → output 0.

z¹ = w¹·a⁰ + b¹,   a¹ = σ(z¹),   with σ = tanh here.

It starts badly, at w¹ = ${shown(w)}, b¹ = ${shown(b)}${shared ? "" : " (your own numbers: each learner starts elsewhere)"}. You will measure how badly (the cost), work out by
the chain rule how the cost changes with w¹ and b¹, and watch gradient descent walk downhill.`,
  },
  { code: `import { checker, demo, plotCostSurface } from "./course";\nconst check = checker("03-not-network");` },
  { markdown: "## The neuron\n\nWrite `a1(w1, b1, a0)`: the output a¹ for input a⁰." },
  { stub: "a1" },
  { check: "a1" },
  {
    markdown: `## The cost

For one training example (x, y) the network's output is a¹ with a⁰ = x, and the example's cost
is Cₖ = (a¹ − y)². The training set's cost is the mean over its examples; for NOT the set is
(0 → 1) and (1 → 0).`,
  },
  { stub: "cost" },
  { check: "cost" },
  { stub: "trainingSetCost" },
  { check: "trainingSetCost" },
  { markdown: "**Question.** Work this one out by hand or with your functions, and write the number:" },
  { stub: "answer_C0" },
  { check: "answer_C0" },
  {
    markdown: `## The chain rule

C depends on w¹ only through z¹, and on z¹ only through a¹. So the slope of C along w¹ is a
product of three simple slopes:

∂C/∂w¹ = ∂C/∂a¹ · ∂a¹/∂z¹ · ∂z¹/∂w¹,   ∂C/∂b¹ = ∂C/∂a¹ · ∂a¹/∂z¹ · ∂z¹/∂b¹.

Each factor comes from one line of the forward computation: C = (a¹ − y)², a¹ = tanh(z¹)
(whose derivative is 1/cosh²(z¹)), and z¹ = w¹a⁰ + b¹. Write the two gradients for one
example.`,
  },
  { stub: "dCdw" },
  { check: "dCdw" },
  { stub: "dCdb" },
  { check: "dCdb" },
  { markdown: "**Question.** Which of these are true? Each statement is graded on its own." },
  { stub: "answer_chainRule" },
  { check: "answer_chainRule" },
  {
    markdown: `## The cost surface, and walking down it

With only two parameters we can draw the whole training-set cost C(w, b) as a map: colour is
the cost, white lines are contours (lines of equal cost). The gradient (∂C/∂w, ∂C/∂b) points
straight uphill, **perpendicular to the contour** through the current point: along a contour
the cost does not change, so all of the change is across it. Gradient descent steps the
other way, w ← w − η·∂C/∂w, b ← b − η·∂C/∂b, with the gradients averaged over the examples.
Where contours are close together the surface is steep and the steps are long; where they
spread out the steps shrink.

The orange diamond is the start (${shown(w)}, ${shown(b)}), the red line 60 steps with η = 0.5.`,
  },
  {
    code: `const NOT: [number, number][] = [[0, 1], [1, 0]];

/** Gradient descent on the training-set cost, from (w, b): every iterate, the start included. */
function descend(w: number, b: number, eta: number, steps: number): [number, number][] {
  const path: [number, number][] = [[w, b]];
  for (let s = 0; s < steps; s++) {
    const gw = NOT.reduce((g, [x, y]) => g + dCdw(w, b, x, y), 0) / NOT.length; // mean ∂C/∂w
    const gb = NOT.reduce((g, [x, y]) => g + dCdb(w, b, x, y), 0) / NOT.length; // mean ∂C/∂b
    [w, b] = [w - eta * gw, b - eta * gb];
    path.push([w, b]);
  }
  return path;
}

await demo(async () => {
  const path = descend(${w}, ${b}, 0.5, 60);
  const [w, b] = path[path.length - 1];
  console.log(\`cost \${trainingSetCost(${w}, ${b}, NOT).toFixed(4)} at the start, \${trainingSetCost(w, b, NOT).toFixed(4)} after 60 steps (w = \${w.toFixed(3)}, b = \${b.toFixed(3)})\`);
  await plotCostSurface({ title: "NOT neuron: training-set cost over (w, b)", cost: (w, b) => trainingSetCost(w, b, NOT), w: [-4, 4], b: [-4, 4], start: [${w}, ${b}], path });
});`,
  },
  {
    markdown: `**Where is the minimum?** Not at a single point: the cost is lowest in a valley along
w ≈ −b, deepening towards large b. NOT needs tanh(b) ≈ 1 (input 0 → 1) and tanh(w + b) ≈ 0
(input 1 → 0), so b as large as possible and w = −b. The cross marks the lowest cell of
this grid, at its edge. The path first heads across the contours, then turns to run along the
valley floor, where the slope — and so each step — is small.`,
  },
  {
    markdown: `## A layer of neurons: vectors

With several inputs and outputs the weights form a matrix W (one row per output neuron) and
the biases a vector b: a = σ(W·x + b), and the example's cost is the squared length of the
error, Cₖ = |a − y|² = Σᵢ (aᵢ − yᵢ)².`,
  },
  { stub: "vectorCost" },
  { check: "vectorCost" },
];

// The learner's notebook for section 01, cell by cell. `stub` and `check` cells are filled in
// by the builder from the exercise set, so signatures and part names live in one place.
// A learner's variant has a worked example of their own (the shared notebook has the course's).
import { shownNumber as shown, type NotebookCell } from "../grader/sections";

/** The worked example of one weight step: a record (x, y), the weights w and the learning rate η. */
export type Example = { x1: number; x2: number; y: number; w1: number; w2: number; eta: number };

/** What the worked example gives, as the solution computes it: ŷ, y − ŷ and Δw (public numbers). */
export type Step = { out: number; error: number; dw: number[] };

/** The sentence of the worked example: the course's published one, or a learner's own. */
function workedExample(e: Example, s: Step | undefined): string {
  if (!s)
    return `The course's worked example: x = [0.1, 0.3], y = 0.2, w = [−0.8, 0.5],
η = 0.5 gives ŷ ≈ 0.51749, error y − ŷ ≈ −0.31749 and Δw ≈ [−0.0039638, −0.0118914].`;
  return `Your own worked example (each learner has one): x = [${shown(e.x1)}, ${shown(e.x2)}], y = ${shown(e.y)},
w = [${shown(e.w1)}, ${shown(e.w2)}], η = ${shown(e.eta)} gives ŷ ≈ ${shown(s.out, 5)}, error y − ŷ ≈ ${shown(s.error, 5)} and
Δw ≈ [${s.dw.map((d) => shown(d, 7)).join(", ")}].`;
}

/** The notebook for a worked example; `step` is a learner's own example's result (absent: the course's). */
export const notebookFor = (e: Example, step?: Step): NotebookCell[] => [
  {
    markdown: `# 01 · One sigmoid unit, trained by gradient descent

A single unit takes an input vector **x**, forms the weighted sum h = x·w = Σᵢ wᵢxᵢ,
and squashes it with the sigmoid σ(h) = 1 / (1 + e^(−h)) into an output ŷ between 0 and 1.

Training means changing **w** so that ŷ moves towards the target y. We measure how far off
we are with the squared error E = ½(y − ŷ)². The ½ is there so the 2 from the derivative cancels.

Fill in each function below (replace the \`throw\`), then run the \`check(...)\` cell under it:
✓ means the public checks pass. The grader runs more checks than these.`,
  },
  {
    code: `import * as math from "mathjs";\nimport { checker, map, plotFunctions, type Tensor } from "./course";\nconst check = checker("01-single-unit-gd");`,
  },
  {
    markdown: `## The sigmoid and its slope

Gradient descent needs the slope of the activation. For the sigmoid it has a neat form in
terms of the sigmoid itself: σ′(h) = σ(h)·(1 − σ(h)). It is largest at h = 0 (0.25) and
nearly zero for large |h|, so a unit that is very sure of itself learns slowly.

Both functions work element by element on a number, an array or a mathjs matrix; the
helper \`map(x, f)\` applies \`f\` to every element and keeps the kind of \`x\`.`,
  },
  { stub: "sigmoid" },
  { check: "sigmoid" },
  { stub: "sigmoidPrime" },
  { check: "sigmoidPrime" },
  { markdown: "Here is what you built (the plot appears once both functions work):" },
  { code: `await plotFunctions("σ and σ′", { "σ(h)": sigmoid, "σ′(h)": sigmoidPrime }, [-6, 6]);` },
  {
    markdown: `## The error term δ

By the chain rule, the slope of E with respect to a weight is
∂E/∂wᵢ = −(y − ŷ)·σ′(h)·xᵢ. The factor that does not depend on i is the **error term**

δ = (y − ŷ)·σ′(h).

Write \`errorTerm(x, y, weights)\` for one record: h = x·w (use \`math.dot\`), ŷ = σ(h), then δ.`,
  },
  { stub: "errorTerm" },
  { check: "errorTerm" },
  {
    markdown: `## One weight step

Gradient descent moves every weight a small step down the slope: Δwᵢ = η·δ·xᵢ, where η is
the learning rate. ${workedExample(e, step)}`,
  },
  { stub: "weightStep" },
  { check: "weightStep" },
  {
    markdown: `## One epoch over a batch

With many records we add up δ·x over all m records, then take one averaged step:
w ← w + η·(Σ δ·x)/m. Averaging keeps the step size independent of how many records there are.`,
  },
  { stub: "gradientDescentEpoch" },
  { check: "gradientDescentEpoch" },
];

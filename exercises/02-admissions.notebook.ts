// The learner's notebook for section 02, cell by cell. `stub` and `check` cells are filled in
// by the builder from the exercise set, so signatures and part names live in one place.
import type { NotebookCell } from "../grader/sections";

export const notebook: NotebookCell[] = [
  {
    markdown: `# 02 · Graduate admissions: gradient descent and backpropagation

400 applicants to a graduate school: their GRE score, their grade point average (GPA), the
rank of their undergraduate school (1 = most selective … 4 = least) and whether they were
admitted. You will prepare the data, train one sigmoid unit on it by gradient descent, then
build a network with a hidden layer and train it by backpropagation.

Every random draw comes from \`RandomState\`, which reproduces NumPy's seeded generator bit
for bit, so with the solutions written your notebook prints **the course's numbers exactly**.
Fill in each function, run the \`check(...)\` cell under it (✓ = public checks pass), and
re-run the cells after it. Cells that use a function you have not written yet stop with
"not implemented yet".`,
  },
  {
    code: `import { checker, demo, dot, format12, loadAdmissions, mean, pick, plot, printLosses, RandomState, sigmoid, vecMat } from "./course";
import type { AdmissionRow, Dataset, Split } from "./course";
const check = checker("02-admissions");`,
  },
  {
    markdown:
      "## The data\n\nEach row is one applicant. Plotting GRE against GPA, one panel per school rank, already suggests that rank matters: admitted applicants (orange) are far more common from rank-1 schools.",
  },
  {
    code: `const rows = loadAdmissions();\nconsole.log(\`\${rows.length} applicants; the first: \${JSON.stringify(rows[0])}\`);`,
  },
  {
    code: `await plot({
  $schema: "https://vega.github.io/schema/vega-lite/v6.json",
  title: "Admissions by GRE, GPA and school rank",
  data: { values: rows.map((r) => ({ ...r, admitted: r.admit === 1 ? "admitted" : "rejected" })) },
  facet: { field: "rank", type: "ordinal", title: "school rank" }, columns: 4,
  spec: {
    width: 150, height: 150, mark: { type: "point", filled: true, opacity: 0.7, size: 20 },
    encoding: {
      x: { field: "gre", type: "quantitative", scale: { zero: false }, title: "GRE" },
      y: { field: "gpa", type: "quantitative", scale: { zero: false }, title: "GPA" },
      color: { field: "admitted", type: "nominal", scale: { range: ["#f58518", "#4c78a8"] } },
    },
  },
});`,
  },
  {
    markdown: `## Preparing the features

**Rank is a category, not a quantity.** Rank 4 is not "twice" rank 2, so feeding 1–4 as one
number would force the network to treat the ranks as evenly spaced. Instead each rank gets
its own 0/1 column (one-hot encoding): rank_1 … rank_4, exactly one of them 1.

**GRE and GPA live on very different scales** (200–800 against 2–4). With raw values the
weighted sum h = x·w is dominated by GRE, the sigmoid saturates (σ′ ≈ 0) and learning
stalls. Standardizing, (v − mean) / sd, puts both around 0 with spread 1. Like the course
(pandas' \`.std()\`), use the **sample** standard deviation, dividing by n − 1, over all
rows before splitting.

Write \`prepareAdmissions(rows)\`: features in the order gre, gpa, rank_1, rank_2, rank_3,
rank_4 (always four rank columns), targets = admit.`,
  },
  { stub: "prepareAdmissions" },
  { check: "prepareAdmissions" },
  {
    markdown: `## A seeded train / test split

The course keeps 10 % of the rows back to measure accuracy on applicants the model never saw.
It seeds NumPy, then draws ⌊0.9·n⌋ row indices **without replacement**; those rows, in the
order drawn, are the training set, and the remaining rows, in their original order, the test
set. \`new RandomState(seed).choice(n, k, false)\` makes the same draw.`,
  },
  { stub: "splitTrainTest" },
  { check: "splitTrainTest" },
  {
    code: `/** The course's training and test sets for one seed, built with your two functions. */
function courseSets(seed: number): { train: Dataset; test: Dataset } {
  const { features, targets } = prepareAdmissions(rows);
  const split = splitTrainTest(rows.length, 0.9, seed);
  const part = (idx: number[]): Dataset => ({ features: pick(features, idx), targets: pick(targets, idx) });
  return { train: part(split.train), test: part(split.test) };
}
const accuracy = (outputs: number[], targets: number[]) => mean(outputs.map((o, i) => ((o > 0.5 ? 1 : 0) === targets[i] ? 1 : 0)));
await demo(() => {
  const { train, test } = courseSets(42);
  console.log(\`\${train.targets.length} training rows, \${test.targets.length} test rows; the first training row: \${train.features[0].map((v) => v.toFixed(4)).join(", ")}\`);
});`,
  },
  {
    markdown: `## Gradient descent on one sigmoid unit

The unit predicts ŷ = σ(x·w) (no bias: the rank columns play that role). We measure the fit
with the **mean** squared error over the m training records, MSE = (1/m)·Σ(ŷ − y)². Averaging
(rather than summing) keeps the size of a step independent of how many records there are:
each epoch adds up δ·x over all records, δ = (y − ŷ)·σ′(h), and moves the weights by
η·(Σ δ·x)/m.

**Start small and random.** If every weight started equal, every weight would receive the
same kind of update; in a network with hidden units, identical units would stay identical
forever (the symmetry is never broken). Small values, drawn from a normal distribution with
standard deviation 1/√n_features, also keep h near 0 where the sigmoid is steep.

**The sigmoid's slope is at most 0.25** (at h = 0) and falls off fast: σ′(5) ≈ 0.0066. Every
layer multiplies the error by such a factor, so gradients shrink as they travel back
through sigmoid layers — the *vanishing gradient*. Standardized inputs and small initial
weights keep us where the slope is large.

Write \`trainSingleUnit\`: draw the weights with \`new RandomState(seed).normal(0, 1 / Math.sqrt(n), n)\`,
run the epochs, and after each update where \`epoch % (epochs / 10) === 0\` record the
training MSE in \`losses\`.`,
  },
  { stub: "trainSingleUnit" },
  { check: "trainSingleUnit" },
  {
    markdown:
      "The course's run: 1000 epochs, η = 0.5, seed 42. It prints a training loss of 0.2627609385 at epoch 0, 0.197030058018 at the end, and a test accuracy of 0.725.",
  },
  {
    code: `const runSingle = () => {
  const { train } = courseSets(42);
  return trainSingleUnit(train.features, train.targets, { epochs: 1000, learnrate: 0.5, seed: 42 });
};
await demo(() => {
  const single = runSingle();
  printLosses(single.losses, 100);
  const { test } = courseSets(42);
  console.log(\`Prediction accuracy: \${accuracy(test.features.map((x) => sigmoid(dot(x, single.weights))), test.targets).toFixed(3)}\`);
});`,
  },
  {
    markdown: `## A hidden layer: the forward pass

Now the input feeds several sigmoid units (the hidden layer), whose outputs feed the output
units. With the weights stored as matrices of shape (inputs, hidden) and (hidden, outputs):

hidden = σ(x·W_ih), output = σ(hidden·W_ho).

\`vecMat(x, W)\` computes x·W for you.`,
  },
  { stub: "forwardPass" },
  { check: "forwardPass" },
  {
    markdown:
      "The course's 4×3×2 example draws x and both weight matrices from seed 42 and prints hidden outputs [0.41492192 0.42604313 0.5002434] and outputs [0.49815196 0.48539772]:",
  },
  {
    code: `await demo(() => {
  const rng = new RandomState(42);
  const x = rng.randn(4), weightsInputHidden = rng.normal(0, 0.1, [4, 3]), weightsHiddenOutput = rng.normal(0, 0.1, [3, 2]);
  const { hidden, output } = forwardPass(x, weightsInputHidden, weightsHiddenOutput);
  console.log("Hidden-layer output:", hidden.map((v) => v.toFixed(8)).join(" "));
  console.log("Output-layer output:", output.map((v) => v.toFixed(8)).join(" "));
});`,
  },
  {
    markdown: `## Backpropagation

With one output unit (w_ho is a vector of shape (hidden,)), the output's error term is as
before, δᵒ = (y − ŷ)·ŷ(1 − ŷ). Each hidden unit j contributed to the output through w_hoⱼ,
so it receives its share of the error, scaled by its own slope:

δʰⱼ = δᵒ · w_hoⱼ · aⱼ(1 − aⱼ),   where aⱼ is hidden unit j's output.

The steps are Δw_ho = η·δᵒ·a and Δw_ih[i][j] = η·δʰⱼ·xᵢ. Forgetting either sigmoid′ factor
still gives numbers of the right shape — only wrong ones.

**Worked example** (the course's): x = [0.5, 0.1, −0.2], y = 0.6, η = 0.5,
W_ih = [[0.5, −0.6], [0.1, −0.2], [0.1, 0.7]], w_ho = [0.1, −0.3].
Then h = x·W_ih = [0.24, −0.48], a = σ(h) ≈ [0.5597, 0.3823], ŷ = σ(a·w_ho) ≈ 0.4770,
δᵒ ≈ (0.6 − 0.4770)·0.4770·0.5230 ≈ 0.0307, δʰ ≈ [0.000708, −0.002045], and
Δw_ho ≈ [0.00804047, 0.00555918].`,
  },
  { stub: "backpropStep" },
  { check: "backpropStep" },
  {
    code: `await demo(() => {
  const worked = backpropStep([0.5, 0.1, -0.2], 0.6, [[0.5, -0.6], [0.1, -0.2], [0.1, 0.7]], [0.1, -0.3], 0.5);
  console.log("Change in weights for hidden layer to output layer:", worked.deltaWeightsHiddenOutput.map((v) => v.toFixed(8)).join(" "));
  console.log("Change in weights for input layer to hidden layer:", JSON.stringify(worked.deltaWeightsInputHidden.map((r) => r.map((v) => Number(v.toExponential(8))))));
});`,
  },
  {
    markdown: `## Training the two-layer network

Same loop as before, with backpropagation inside: for every record, compute the two steps
(\`backpropStep\` with η = 1 gives exactly δ·a and δʰ·x), add them up, then move both weight
matrices by η·sum/m. Draw W_ih (shape (n_features, hidden)) first and then w_ho (hidden,)
from one \`RandomState(seed)\`, both with standard deviation 1/√n_features.

**A quirk to reproduce.** The course's progress print computes the loss from the network's
output for \`x\` — which, after the loop over records, is the **last training record** — and
compares that single output with *every* target. It is not the training MSE, but it is
what the course prints, so record it in \`losses\` to compare digits, and record the real
training MSE in \`mse\` (both when \`epoch % (epochs / 10) === 0\`, after the update).

The course's run (seed 21 for the split and the weights, 2 hidden units, 900 epochs,
η = 0.005) prints losses from 0.251357252426 down to 0.240400679325 and accuracy 0.725.`,
  },
  { stub: "trainTwoLayer" },
  { check: "trainTwoLayer" },
  {
    code: `const runTwoLayer = () => {
  const { train } = courseSets(21);
  return trainTwoLayer(train.features, train.targets, { hidden: 2, epochs: 900, learnrate: 0.005, seed: 21 });
};
await demo(() => {
  const two = runTwoLayer();
  printLosses(two.losses, 90);
  const { test } = courseSets(21);
  const outputs = test.features.map((x) => forwardPass(x, two.weightsInputHidden, two.weightsHiddenOutput.map((w) => [w])).output[0]);
  console.log(\`Prediction accuracy: \${accuracy(outputs, test.targets).toFixed(3)}\`);
});`,
  },
  {
    markdown:
      "## Both networks' training error\n\nThe real training MSE at each recorded epoch. The two-layer network, with its tiny learning rate, has barely started after 900 epochs; the single unit with η = 0.5 is nearly done after a few hundred.",
  },
  {
    code: `const curve = (name: string, values: number[], every: number) => values.map((mse, i) => ({ network: name, epoch: i * every, mse }));
await demo(() => plot({
  $schema: "https://vega.github.io/schema/vega-lite/v6.json",
  title: "Training MSE", width: 420, height: 240,
  data: { values: [...curve("one sigmoid unit (η = 0.5)", runSingle().losses, 100), ...curve("2 hidden units (η = 0.005)", runTwoLayer().mse, 90)] },
  mark: { type: "line", point: true },
  encoding: {
    x: { field: "epoch", type: "quantitative" },
    y: { field: "mse", type: "quantitative", scale: { zero: false }, title: "training MSE" },
    color: { field: "network", type: "nominal", legend: { labelLimit: 300 } },
  },
}));`,
  },
];

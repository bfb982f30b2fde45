// The learner's notebook for section 04, cell by cell. `stub`, `given` and `check` cells are
// filled in by the builder from the exercise set.
import type { NotebookCell } from "../grader/sections";

export const notebook: NotebookCell[] = [
  {
    markdown: `# 04 · The 2-3-1 ReLU network

Two inputs, a hidden layer of three ReLU units (each with a bias), one linear output without
a bias — fully connected. It is trained on four points of y = 3·x₁ + 4·x₂ by stochastic
gradient descent: one step per example on L = ½(y − ŷ)², the examples in a fixed order, 10
epochs, learning rate 0.001, from a fixed start where **every weight is 1 and every bias 0**.
A test then asks for 7·x₁ on points with x₁ = x₂, within 0.1.`,
  },
  { code: `import { checker, demo, plot, RandomState } from "./course";\nconst check = checker("04-relu-2-3-1");` },
  {
    markdown: `## Activations

ReLU(x) = max(0, x). Its slope is 1 for x > 0 and 0 for x < 0; at exactly 0 it has none, and
like the course we use **ReLU′(0) = 0**. The output unit is linear: f(x) = x, f′(x) = 1.`,
  },
  { stub: "relu" },
  { check: "relu" },
  { stub: "reluDerivative" },
  { check: "reluDerivative" },
  { stub: "outputActivation" },
  { check: "outputActivation" },
  { stub: "outputActivationDerivative" },
  { check: "outputActivationDerivative" },
  {
    markdown: `## The network

Forward, for x = (x₁, x₂): z = W·x + b (3 hidden pre-activations), a = ReLU(z), u = V·a,
ŷ = f(u). Backward, for L = ½(y − ŷ)²:

- output: δᵒ = ∂L/∂u = (ŷ − y)·f′(u)
- hidden: δʰ = ∂L/∂z = Vᵀ·δᵒ ⊙ ReLU′(z) — a unit that is off (z ≤ 0) passes no gradient
- gradients: ∂L/∂V = δᵒ·aᵀ (1, 3), ∂L/∂W = δʰ·xᵀ (3, 2), ∂L/∂b = δʰ (3, 1)

and one step moves every parameter by −η times its gradient, all gradients computed from the
weights *before* the step. Write the four methods; each \`check\` builds a fresh network, sets
its fields and calls the method.`,
  },
  { given: "NeuralNetwork" },
  { check: "NeuralNetwork.train" },
  { check: "NeuralNetwork.predict" },
  { check: "NeuralNetwork.trainNeuralNetwork" },
  { check: "NeuralNetwork.testNeuralNetwork" },
  {
    markdown:
      "The course's run: after 10 epochs its network predicts about 7.0385, 14.0428, 21.0472, 35.0559 and 70.0777 for the five test points — all within 0.1.",
  },
  {
    code: `await demo(() => {
  const net = new NeuralNetwork();
  net.trainNeuralNetwork();
  net.testNeuralNetwork().forEach((p, i) => {
    const [x1, x2] = net.testingPoints[i];
    console.log(\`(\${x1}, \${x2}) → \${p.toFixed(4)}  (want \${7 * x1}) \${Math.abs(p - 7 * x1) < 0.1 ? "✓" : "✗ — testing stops here"}\`);
  });
});`,
  },
  {
    markdown: `## Symmetry: why the three hidden units stay identical

At the fixed start every hidden unit has the same incoming weights, the same bias and the same
outgoing weight. So they compute the same z, receive the same δʰ, and take the same step —
forever. Three units behave like one: the network cannot use its width. Starting from small
**random** weights breaks the tie: each unit sees a different gradient and they drift apart.

Below, the weight from x₁ into each hidden unit, after every training step, for the fixed start
and for a random start (weights ~ normal(1, 0.5), seed 0).`,
  },
  {
    code: `/** W[j][0] for each hidden unit after every train step, for a network already set up. */
function trace(net: NeuralNetwork, start: string) {
  const rows: { start: string; step: number; unit: string; weight: number }[] = [];
  const record = (step: number) => net.inputToHiddenWeights.forEach((w, j) => rows.push({ start, step, unit: \`unit \${j + 1}\`, weight: w[0] }));
  record(0);
  let step = 0;
  for (let e = 0; e < net.epochsToTrain; e++) for (const [[x1, x2], y] of net.trainingPoints) { net.train(x1, x2, y); record(++step); }
  return rows;
}

await demo(async () => {
  const equal = new NeuralNetwork();
  const random = new NeuralNetwork();
  const rng = new RandomState(0);
  random.inputToHiddenWeights = rng.normal(1, 0.5, [3, 2]);
  random.hiddenToOutputWeights = [rng.normal(1, 0.5, 3)];
  const rows = [...trace(equal, "fixed start: all weights 1"), ...trace(random, "random start (seed 0)")];
  for (const net of [equal, random]) console.log(net === equal ? "fixed start, W after training:" : "random start, W after training:", JSON.stringify(net.inputToHiddenWeights.map((r) => r.map((v) => Number(v.toFixed(4))))));
  await plot({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Weight from x₁ into each hidden unit, per training step",
    data: { values: rows },
    facet: { field: "start", type: "nominal", title: null }, columns: 2,
    spec: {
      width: 260, height: 200, mark: "line",
      encoding: {
        x: { field: "step", type: "quantitative" },
        y: { field: "weight", type: "quantitative", scale: { zero: false } },
        color: { field: "unit", type: "nominal" },
        strokeDash: { field: "unit", type: "nominal" },
      },
    },
  });
});`,
  },
  {
    markdown: `With the fixed start the three lines lie exactly on top of each other (the dashes show all
three); with the random start they separate. Here the task is simple enough — y is linear and
the inputs positive — that one "effective" unit suffices, which is why the course's network
still passes its test.`,
  },
];

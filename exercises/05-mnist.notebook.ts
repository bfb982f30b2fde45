// The learner's notebook for section 05, cell by cell. `stub`, `given` and `check` cells are
// filled in by the builder from the exercise set.
import type { NotebookCell } from "../grader/sections";

const skipUntilTrained = `if (!trainedNetwork) { console.log("(skipped: this cell runs once the network above is trained)"); return; }`;

export const notebook: NotebookCell[] = [
  {
    markdown: `# 05 · MNIST: a multi-layer network, and gradient checking

Handwritten digits, 28 × 28 pixels each. In **Part A** you build a network layer by layer —
linear steps, ReLU, a softmax output with the cross-entropy loss, and backpropagation — and
train a 784-200-10 network on 2,000 digits. In **Part B** you write the classic regularized
cost of a sigmoid network with its gradient, and check that gradient numerically.

Everything is a matrix of shape (n, m): **one example per column** in Part A (as in the
course), one per row in Part B (as in *its* course). The \`nd\` helper gives you NumPy's
vocabulary — \`matmul\`, \`transpose\`, \`add\` with broadcasting, \`sum(A, axis)\`, \`exp\`,
\`maximum\` … — on float64 matrices; its products run on your machine's optimised BLAS, so the
whole training takes seconds. NDArrays are immutable: every operation returns a new one.`,
  },
  {
    code: `import { checker, demo, fmincg, loadEx4Weights, mnistSubsets, nd, NDArray, plotConfusion, plotCosts, plotDigits, progress, RandomState } from "./course";
import type { Activation, ActivationCache, Grads, LayerCache, LinearCache, NnCost, Params, TrainOptions } from "./course";
const { add, argmax, array, div, equal, exp, greater, hstack, log, matmul, max, maximum, mean, mul, norm, ones, oneHot, rand, randn, reshape, sigmoid, sin, sliceCols, sliceRows, square, sub, sum, takeAlongAxis, transpose, vstack, zeros } = nd;
const check = checker("05-mnist");
console.log(\`matrix products: \${nd.backend().detail}\`);`,
  },
  {
    markdown: `## The data

The 10,000 MNIST test images, shuffled with \`RandomState(1)\`: the first 2,000 are our training
set, the next 1,000 our test set. Pixels are scaled from 0 … 255 to −1 … 1. \`trainX\` is
(784, 2000) — each column one image, read row by row — and \`trainY\` (1, 2000) holds the digits.`,
  },
  {
    code: `const data = mnistSubsets();\nconsole.log(\`trainX \${data.trainX.shape}, trainY \${data.trainY.shape}, testX \${data.testX.shape}, testY \${data.testY.shape}\`);`,
  },
  {
    code: `const first100 = [...Array(100).keys()];\nawait plotDigits(data.trainX, first100, first100.map((j) => String(data.trainY.data[j])), { title: "The first 100 training digits and their labels" });`,
  },
  {
    markdown: `## Part A · Activations

Each layer computes Z = W·A + b and then an activation of Z. Every activation returns its
output and a **cache** — what its derivative will need later: here, Z itself.

- ReLU: A = max(0, Z). Its derivative is 1 where Z > 0 and 0 elsewhere; at exactly 0 it has
  none, and we take **ReLU′(0) = 0**. Going backward, dZ = dA ⊙ ReLU′(Z).
- Linear (the last layer): A = Z, so dZ = dA.`,
  },
  { stub: "relu" },
  { check: "relu" },
  { stub: "reluDer" },
  { check: "reluDer" },
  { stub: "linear" },
  { check: "linear" },
  { stub: "linearDer" },
  { check: "linearDer" },
  {
    markdown: `## Softmax and the cross-entropy loss

The last layer's n outputs per column become probabilities: A = e^Z / Σ e^Z, column by column.
For large Z, e^Z overflows to ∞ and ∞/∞ is NaN — so first subtract each column's largest value:
the result is the same, and the largest exponent is e⁰ = 1.

With labels Y (1, m), the loss is the mean of −log A[Yⱼ, j], the probability given to the true
digit. Without labels (when we only classify) there is no loss. Its gradient with respect to Z
is remarkably simple: **dZ = (A − Ȳ) / m**, where Ȳ is Y one-hot encoded (a 1 in row Yⱼ of
column j). That 1/m is the only one in the backward pass.`,
  },
  { stub: "softmaxCrossEntropyLoss" },
  { check: "softmaxCrossEntropyLoss" },
  { stub: "softmaxCrossEntropyLossDer" },
  { check: "softmaxCrossEntropyLossDer" },
  {
    markdown: `## Parameters and the forward pass

For layer sizes netDims = [n₀, n₁, …, n_L], layer l has W_l (n_l, n_{l−1}) drawn as 0.01 · randn
and b_l = 0 (n_l, 1). Forward: the linear step Z = W·A + b keeps its input A in its cache; a
layer is the linear step then its activation; the network runs layers 1 … L−1 with ReLU and
layer L linear, keeping every layer's cache.`,
  },
  { stub: "initializeNetwork" },
  { check: "initializeNetwork" },
  { stub: "linearForward" },
  { check: "linearForward" },
  { stub: "layerForward" },
  { check: "layerForward" },
  { stub: "multiLayerForward" },
  { check: "multiLayerForward" },
  {
    markdown: `## Backpropagation

Backward through a linear step Z = W·A_prev + b, given dZ (n_out, m):

- dA_prev = Wᵀ·dZ (n_in, m) — handed to the layer below;
- dW = dZ·A_prevᵀ (n_out, n_in);
- db = Σ dZ over the samples (n_out, 1).

No 1/m here: it is already in dZ. A layer first turns dA into dZ with its activation's
derivative. The network goes from layer L (linear) down to layer 1 (ReLU).`,
  },
  { stub: "linearBackward" },
  { check: "linearBackward" },
  { stub: "layerBackward" },
  { check: "layerBackward" },
  { stub: "multiLayerBackward" },
  { check: "multiLayerBackward" },
  {
    markdown: `## Classifying, updating, training

A prediction is the most probable digit: argmax of the softmax, column by column. One step of
gradient descent moves every parameter against its gradient, W ← W − α·dW, with the learning
rate α = η / (1 + decay · epoch). Training repeats forward, loss, backward, update.`,
  },
  { stub: "classify" },
  { check: "classify" },
  { stub: "updateParameters" },
  { check: "updateParameters" },
  { stub: "multiLayerNetwork" },
  { check: "multiLayerNetwork" },
  {
    markdown: `### Train 784-200-10 on 2,000 digits

500 iterations with η = 0.1 (about half a minute: the line below shows how far it got and the
time left). The course reaches about 97.6 % on its training set and 90.2 % on its test set. When
you submit, a shorter run of your \`multiLayerNetwork\` on part of these images is compared with the
same run of the reference.`,
  },
  {
    code: `let trainedNetwork: { costs: number[]; parameters: Params } | undefined;
await demo(() => {
  const bar = progress(500); // one line that updates while it trains
  trainedNetwork = multiLayerNetwork(data.trainX, data.trainY, [784, 200, 10], {
    numIterations: 500, learningRate: 0.1,
    log: (i, cost) => bar.step(i + 1, { cost }),
  });
  bar.done();
});`,
  },
  { code: `await demo(async () => {\n  ${skipUntilTrained}\n  await plotCosts(trainedNetwork.costs);\n});` },
  {
    code: `const accuracy = (X: NDArray, Y: NDArray, parameters: Params) => mean(equal(classify(X, parameters), Y));
await demo(async () => {
  ${skipUntilTrained}
  const P = trainedNetwork.parameters;
  console.log(\`accuracy: training \${(100 * accuracy(data.trainX, data.trainY, P)).toFixed(1)} %, test \${(100 * accuracy(data.testX, data.testY, P)).toFixed(1)} %\`);
  await plotConfusion(classify(data.testX, P), data.testY);
});`,
  },
  {
    code: `await demo(async () => {
  ${skipUntilTrained}
  const predicted = classify(data.testX, trainedNetwork.parameters);
  const wrong = [...Array(data.testY.cols).keys()].filter((j) => predicted.data[j] !== data.testY.data[j]).slice(0, 40);
  await plotDigits(data.testX, wrong, wrong.map((j) => \`\${data.testY.data[j]} → \${predicted.data[j]}\`), { title: "Misclassified test digits (true → predicted)", highlight: wrong.map(() => true) });
});`,
  },
  {
    markdown: `## Part B · The regularized cost, and checking its gradient

Now a sigmoid network written the way the classic programming exercise writes it: **one example
per row**, X (m, n), labels y (m, 1). Θ1 (h, n + 1) and Θ2 (K, h + 1) include a bias column
(their first), and the two are *unrolled* into one column nnParams — Θ1's rows, then Θ2's —
so an optimiser can treat them as one vector.

The cost adds λ/(2m) Σ Θ² to the cross-entropy, over every weight **except the bias columns**.
Its gradient comes from backpropagation; to trust it, compare it with a numerical estimate,
(J(θ + e) − J(θ − e)) / 2e for each parameter in turn, on a small network.`,
  },
  { stub: "sigmoidGradient" },
  { check: "sigmoidGradient" },
  { stub: "randInitializeWeights" },
  { check: "randInitializeWeights" },
  { stub: "debugInitializeWeights" },
  { check: "debugInitializeWeights" },
  { stub: "nnCostFunction" },
  { check: "nnCostFunction" },
  {
    markdown: `The course's own trained 400-25-10 network (\`ex4weights.mat\`) gives a published check of
the regularization term: its costs are 0.287629 without it and 0.383770 with λ = 1 (m = 5000),
so the term alone must come to 0.096141 — whatever the images.`,
  },
  {
    code: `await demo(() => {
  const { Theta1, Theta2 } = loadEx4Weights();
  const nnParams = vstack([Theta1, Theta2].map((T) => reshape(T, T.size, 1))); // Θ1's rows, then Θ2's
  const X = zeros(5000, 400), y = zeros(5000, 1);
  const J = (lambda: number) => nnCostFunction(nnParams, 400, 25, 10, X, y, lambda)[0];
  console.log(\`regularization term: \${(J(1) - J(0)).toFixed(6)} (the course: 0.383770 − 0.287629 = 0.096141)\`);
});`,
  },
  { given: "bumpyCost" },
  { stub: "computeNumericalGradient" },
  { check: "computeNumericalGradient" },
  { stub: "checkNNGradients" },
  { check: "checkNNGradients" },
  {
    markdown:
      "The check should find your gradient right to about 1e-11, with and without regularization — and it should *catch* a wrong one: `doubledGradientCost` returns twice the true gradient.",
  },
  { given: "doubledGradientCost" },
  {
    code: `await demo(() => {
  for (const lambda of [0, 3]) {
    const { diff } = checkNNGradients(nnCostFunction, lambda);
    console.log(\`nnCostFunction, λ = \${lambda}: relative difference \${diff.toExponential(2)} \${diff < 1e-9 ? "✓ under 1e-9" : "✗ should be under 1e-9"}\`);
  }
  console.log(\`doubledGradientCost: relative difference \${checkNNGradients(doubledGradientCost, 1).diff.toFixed(4)} (a wrong gradient: far from 0)\`);
});`,
  },
  {
    markdown: `### Train 784-25-10 with this cost

The classic course hands this cost to an optimiser (its \`fmincg\`; scipy's \`optimize.minimize\`
in Python) rather than stepping by hand: \`fmincg\` from \`./course\` is given to you — nonlinear
conjugate gradients with a line search, so no iteration can raise the cost. It calls
\`nnCostFunction\` (yours) for the cost and its gradient, λ = 1, on the same 2,000 training digits.
(Plain gradient descent, 400 steps of 1.5, reached 83.0 % / 81.3 % here, and its cost jumped up
on the way.)`,
  },
  {
    code: `await demo(() => {
  const X = transpose(data.trainX), y = transpose(data.trainY); // one example per row: (2000, 784), (2000, 1)
  const unroll = (...Ts: NDArray[]) => vstack(Ts.map((T) => reshape(T, T.size, 1)));
  const start = unroll(randInitializeWeights(784, 25, 0.12, 1), randInitializeWeights(25, 10, 0.12, 2));
  const bar = progress(100);
  const { theta, costs } = fmincg((t) => nnCostFunction(t, 784, 25, 10, X, y, 1), start, { maxIter: 100, onIteration: (i, cost) => bar.step(i, { cost }) });
  bar.done();
  const every = costs.filter((_, i) => i % 20 === 0 || i === costs.length - 1);
  console.log(\`cost every 20 iterations: \${every.map((c) => c.toFixed(4)).join(" → ")}\`);
  const Theta1 = reshape(sliceRows(theta, 0, 25 * 785), 25, 785), Theta2 = reshape(sliceRows(theta, 25 * 785), 10, 26);
  const predict = (X: NDArray) => {
    const withBias = (A: NDArray) => hstack([ones(A.rows, 1), A]);
    const h = sigmoid(matmul(withBias(sigmoid(matmul(withBias(X), transpose(Theta1)))), transpose(Theta2)));
    return transpose(argmax(h, 1)); // (1, m)
  };
  const acc = (X: NDArray, Y: NDArray) => (100 * mean(equal(predict(X), Y))).toFixed(1);
  console.log(\`784-25-10: training accuracy \${acc(X, data.trainY)} %, test accuracy \${acc(transpose(data.testX), data.testY)} %\`);
});`,
  },
];

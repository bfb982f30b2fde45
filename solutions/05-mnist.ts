// Reference solution of section 05: a multi-layer network on MNIST (Part A) and the classic
// regularized cost with gradient checking (Part B). Each part is exported under its name; the
// notebook builder copies these declarations verbatim into the solution-filled notebook.
import type {
  Activation,
  ActivationCache,
  Grads,
  LayerCache,
  LinearCache,
  NnCost,
  Params,
  TrainOptions,
} from "../notebooks/course/network-types";
import { NDArray } from "../notebooks/course/ndarray";
import {
  add,
  argmax,
  array,
  div,
  exp,
  greater,
  hstack,
  log,
  matmul,
  max,
  maximum,
  mul,
  norm,
  ones,
  oneHot,
  rand,
  randn,
  reshape,
  sigmoid,
  sin,
  sliceCols,
  sliceRows,
  square,
  sub,
  sum,
  takeAlongAxis,
  transpose,
  vstack,
  zeros,
} from "../notebooks/course/nd";
import { RandomState } from "../notebooks/course/random";

// ── Part A: the network, layer by layer ──────────────────────────────────────────────────────

export function relu(Z: NDArray): { A: NDArray; cache: ActivationCache } {
  const A = maximum(Z, 0); // max(0, Z), (n, m)
  return { A, cache: { Z } };
}

export function reluDer(dA: NDArray, cache: ActivationCache): NDArray {
  // NOTE: ReLU has no slope at exactly 0; we take ReLU′(0) = 0, so `greater`, not `greaterEqual`.
  return mul(dA, greater(cache.Z, 0)); // dZ = dA ⊙ 1[Z > 0], (n, m)
}

export function linear(Z: NDArray): { A: NDArray; cache: ActivationCache } {
  return { A: Z, cache: { Z } };
}

export function linearDer(dA: NDArray, cache: ActivationCache): NDArray {
  return dA; // the identity's slope is 1: dZ = dA
}

export function softmaxCrossEntropyLoss(Z: NDArray, Y?: NDArray): { A: NDArray; cache: { A: NDArray }; loss?: number } {
  // NOTE: subtract each column's largest value first: e^(z − max) cannot overflow, and the
  // softmax is unchanged (the factor e^(−max) cancels between numerator and denominator).
  const E = exp(sub(Z, max(Z, 0))); // (n, m)
  const A = div(E, sum(E, 0)); // each column sums to 1
  if (Y === undefined || Y.size === 0) return { A, cache: { A } };
  const m = Z.cols;
  const loss = -sum(log(takeAlongAxis(A, Y))) / m; // mean of −log p(true class)
  return { A, cache: { A }, loss };
}

export function softmaxCrossEntropyLossDer(Y: NDArray, cache: { A: NDArray }): NDArray {
  const A = cache.A,
    m = A.cols;
  return div(sub(A, oneHot(Y, A.rows)), m); // dZ = (A − Ȳ) / m, (n, m)
}

export function initializeNetwork(netDims: number[], seed: number): Params {
  const rng = new RandomState(seed);
  const parameters: Params = {};
  for (let l = 1; l < netDims.length; l++) {
    parameters[`W${l}`] = mul(randn(rng, netDims[l], netDims[l - 1]), 0.01); // (n_l, n_{l−1})
    parameters[`b${l}`] = zeros(netDims[l], 1); // (n_l, 1)
  }
  return parameters;
}

export function linearForward(A: NDArray, W: NDArray, b: NDArray): { Z: NDArray; cache: LinearCache } {
  const Z = add(matmul(W, A), b); // Z = W·A + b, (n_out, m): b is added to every column
  return { Z, cache: { A } };
}

export function layerForward(
  APrev: NDArray,
  W: NDArray,
  b: NDArray,
  activation: Activation,
): { A: NDArray; cache: LayerCache } {
  const { Z, cache: linearCache } = linearForward(APrev, W, b);
  const { A, cache: activationCache } = activation === "relu" ? relu(Z) : linear(Z);
  return { A, cache: { linearCache, activationCache } };
}

export function multiLayerForward(X: NDArray, parameters: Params): { AL: NDArray; caches: LayerCache[] } {
  const L = Object.keys(parameters).length / 2; // W1, b1, …, WL, bL
  const caches: LayerCache[] = [];
  let A = X;
  for (let l = 1; l < L; l++) {
    const layer = layerForward(A, parameters[`W${l}`], parameters[`b${l}`], "relu");
    A = layer.A;
    caches.push(layer.cache);
  }
  const last = layerForward(A, parameters[`W${L}`], parameters[`b${L}`], "linear");
  caches.push(last.cache);
  return { AL: last.A, caches };
}

export function linearBackward(
  dZ: NDArray,
  cache: LinearCache,
  W: NDArray,
  b: NDArray,
): { dAPrev: NDArray; dW: NDArray; db: NDArray } {
  const APrev = cache.A;
  const dAPrev = matmul(transpose(W), dZ); // Wᵀ·dZ, (n_in, m)
  const dW = matmul(dZ, transpose(APrev)); // dZ·A_prevᵀ, (n_out, n_in): the 1/m is already in dZ
  const db = sum(dZ, 1); // Σ of dZ over the samples, (n_out, 1)
  return { dAPrev, dW, db };
}

export function layerBackward(
  dA: NDArray,
  cache: LayerCache,
  W: NDArray,
  b: NDArray,
  activation: Activation,
): { dAPrev: NDArray; dW: NDArray; db: NDArray } {
  const dZ = activation === "relu" ? reluDer(dA, cache.activationCache) : linearDer(dA, cache.activationCache);
  return linearBackward(dZ, cache.linearCache, W, b);
}

export function multiLayerBackward(dAL: NDArray, caches: LayerCache[], parameters: Params): Grads {
  const L = caches.length;
  const gradients: Grads = {};
  let dA = dAL;
  for (let l = L; l >= 1; l--) {
    const layer = layerBackward(
      dA,
      caches[l - 1],
      parameters[`W${l}`],
      parameters[`b${l}`],
      l === L ? "linear" : "relu",
    );
    gradients[`dW${l}`] = layer.dW;
    gradients[`db${l}`] = layer.db;
    dA = layer.dAPrev;
  }
  return gradients;
}

export function classify(X: NDArray, parameters: Params): NDArray {
  const { AL } = multiLayerForward(X, parameters);
  const { A } = softmaxCrossEntropyLoss(AL);
  return argmax(A, 0); // the most probable digit of each column, (1, m)
}

export function updateParameters(
  parameters: Params,
  gradients: Grads,
  epoch: number,
  learningRate: number,
  decayRate = 0,
): { parameters: Params; alpha: number } {
  const alpha = learningRate / (1 + decayRate * epoch);
  const updated: Params = {};
  for (let l = 1; l <= Object.keys(parameters).length / 2; l++) {
    updated[`W${l}`] = sub(parameters[`W${l}`], mul(gradients[`dW${l}`], alpha)); // W ← W − α·dW
    updated[`b${l}`] = sub(parameters[`b${l}`], mul(gradients[`db${l}`], alpha)); // b ← b − α·db
  }
  return { parameters: updated, alpha };
}

export function multiLayerNetwork(
  X: NDArray,
  Y: NDArray,
  netDims: number[],
  options: TrainOptions,
): { costs: number[]; parameters: Params } {
  const { numIterations, learningRate, decayRate = 0, seed = 0, log } = options;
  let parameters = initializeNetwork(netDims, seed);
  const costs: number[] = [];
  for (let i = 0; i < numIterations; i++) {
    const { AL, caches } = multiLayerForward(X, parameters);
    const { cache, loss } = softmaxCrossEntropyLoss(AL, Y);
    const dZ = softmaxCrossEntropyLossDer(Y, cache);
    const gradients = multiLayerBackward(dZ, caches, parameters);
    const step = updateParameters(parameters, gradients, i, learningRate, decayRate);
    parameters = step.parameters;
    costs.push(loss!);
    if (log) log(i, loss!, step.alpha);
  }
  return { costs, parameters };
}

// ── Part B: the regularized cost and gradient checking ───────────────────────────────────────

export function sigmoidGradient(z: NDArray): NDArray {
  const g = sigmoid(z);
  return mul(g, sub(1, g)); // σ′(z) = σ(z)(1 − σ(z))
}

export function randInitializeWeights(lIn: number, lOut: number, epsilon = 0.12, seed = 0): NDArray {
  const rng = new RandomState(seed);
  return sub(mul(rand(rng, lOut, 1 + lIn), 2 * epsilon), epsilon); // uniform in [−ε, ε), (lOut, 1 + lIn)
}

export function debugInitializeWeights(fanOut: number, fanIn: number): NDArray {
  // NOTE: sin(1), sin(2), … fill the matrix column by column (MATLAB's order, NumPy's order='F').
  const W = zeros(fanOut, 1 + fanIn); // (fanOut, 1 + fanIn)
  const d = W.data.slice();
  for (let j = 0; j < W.cols; j++)
    for (let i = 0; i < W.rows; i++) d[i * W.cols + j] = Math.sin(1 + i + j * fanOut) / 10;
  return new NDArray(W.rows, W.cols, d);
}

export function nnCostFunction(
  nnParams: NDArray,
  inputLayerSize: number,
  hiddenLayerSize: number,
  numLabels: number,
  X: NDArray,
  y: NDArray,
  lambda: number,
): [number, NDArray] {
  // Θ1 (h, n + 1) then Θ2 (K, h + 1), each unrolled row by row into the column nnParams
  const n1 = hiddenLayerSize * (inputLayerSize + 1);
  const Theta1 = reshape(sliceRows(nnParams, 0, n1), hiddenLayerSize, inputLayerSize + 1);
  const Theta2 = reshape(sliceRows(nnParams, n1), numLabels, hiddenLayerSize + 1);
  const m = X.rows;
  const Y = transpose(oneHot(transpose(y), numLabels)); // (m, K), one row per example
  // Forward, one example per row
  const a1 = hstack([ones(m, 1), X]); // (m, n + 1)
  const z2 = matmul(a1, transpose(Theta1)); // (m, h)
  const a2 = hstack([ones(m, 1), sigmoid(z2)]); // (m, h + 1)
  const a3 = sigmoid(matmul(a2, transpose(Theta2))); // h_Θ(x), (m, K)
  // J = −(1/m) Σ [y log h + (1 − y) log(1 − h)] + λ/(2m) Σ Θ² over the non-bias columns
  const J =
    -sum(add(mul(Y, log(a3)), mul(sub(1, Y), log(sub(1, a3))))) / m +
    (lambda / (2 * m)) * (sum(square(sliceCols(Theta1, 1))) + sum(square(sliceCols(Theta2, 1))));
  // Backpropagation
  const d3 = sub(a3, Y); // (m, K)
  const d2 = mul(matmul(d3, sliceCols(Theta2, 1)), sigmoidGradient(z2)); // (m, h)
  // NOTE: the bias column is not regularized: its λ term uses a Θ whose first column is zero.
  const noBias = (T: NDArray) => hstack([zeros(T.rows, 1), sliceCols(T, 1)]);
  const Theta1Grad = add(div(matmul(transpose(d2), a1), m), mul(noBias(Theta1), lambda / m)); // (h, n + 1)
  const Theta2Grad = add(div(matmul(transpose(d3), a2), m), mul(noBias(Theta2), lambda / m)); // (K, h + 1)
  return [J, vstack([reshape(Theta1Grad, Theta1Grad.size, 1), reshape(Theta2Grad, Theta2Grad.size, 1)])];
}

/** A smooth function to test computeNumericalGradient on: J(θ) = Σ θ² sin θ, so ∂J/∂θ = 2θ sin θ + θ² cos θ. */
export function bumpyCost(theta: NDArray): number {
  return sum(mul(square(theta), sin(theta)));
}

export function computeNumericalGradient(J: (theta: NDArray) => number, theta: NDArray, e = 1e-4): NDArray {
  const numgrad = new Float64Array(theta.size);
  for (let p = 0; p < theta.size; p++) {
    const nudged = (delta: number) => {
      const d = theta.data.slice();
      d[p] += delta;
      return new NDArray(theta.rows, theta.cols, d);
    };
    numgrad[p] = (J(nudged(e)) - J(nudged(-e))) / (2 * e); // central difference
  }
  return new NDArray(theta.rows, theta.cols, numgrad);
}

/** nnCostFunction with a deliberate bug: its gradient is twice too large. checkNNGradients must notice. */
export function doubledGradientCost(
  nnParams: NDArray,
  inputLayerSize: number,
  hiddenLayerSize: number,
  numLabels: number,
  X: NDArray,
  y: NDArray,
  lambda: number,
): [number, NDArray] {
  const [J, grad] = nnCostFunction(nnParams, inputLayerSize, hiddenLayerSize, numLabels, X, y, lambda);
  return [J, mul(grad, 2)];
}

export function checkNNGradients(costFn: NnCost, lambda = 0): { numgrad: NDArray; grad: NDArray; diff: number } {
  const inputLayerSize = 3,
    hiddenLayerSize = 5,
    numLabels = 3,
    m = 5;
  const Theta1 = debugInitializeWeights(hiddenLayerSize, inputLayerSize); // (5, 4)
  const Theta2 = debugInitializeWeights(numLabels, hiddenLayerSize); // (3, 6)
  const X = debugInitializeWeights(m, inputLayerSize - 1); // (5, 3)
  const y = array([1, 2, 0, 1, 2].map((label) => [label])); // (1 … m) mod 3, (5, 1)
  const nnParams = vstack([reshape(Theta1, Theta1.size, 1), reshape(Theta2, Theta2.size, 1)]);
  const cost = (p: NDArray) => costFn(p, inputLayerSize, hiddenLayerSize, numLabels, X, y, lambda);
  const grad = cost(nnParams)[1];
  const numgrad = computeNumericalGradient((p) => cost(p)[0], nnParams);
  const diff = norm(sub(numgrad, grad)) / norm(add(numgrad, grad)); // relative difference
  return { numgrad, grad, diff };
}

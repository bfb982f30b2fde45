// Reference solution of section 02. Each part's function is exported under the part's name;
// the notebook builder copies these declarations verbatim into the solution-filled notebook.
import type { AdmissionRow, Dataset, Split } from "../notebooks/course/admissions";
import { dot, mean, sigmoid, vecMat } from "../notebooks/course/nn";
import { RandomState } from "../notebooks/course/random";

export function prepareAdmissions(rows: AdmissionRow[]): Dataset {
  // NOTE: the sample standard deviation (divide by n − 1), as pandas' .std() computes it.
  const standardize = (xs: number[]) => {
    const mu = mean(xs);
    const sd = Math.sqrt(xs.reduce((s, v) => s + (v - mu) ** 2, 0) / (xs.length - 1));
    return xs.map((v) => (v - mu) / sd);
  };
  const gre = standardize(rows.map((r) => r.gre));
  const gpa = standardize(rows.map((r) => r.gpa));
  // gre, gpa, rank_1 … rank_4: (records, 6)
  const features = rows.map((r, i) => [gre[i], gpa[i], ...[1, 2, 3, 4].map((k) => (r.rank === k ? 1 : 0))]);
  return { features, targets: rows.map((r) => r.admit) };
}

export function splitTrainTest(n: number, fraction: number, seed: number): Split {
  const rng = new RandomState(seed);
  const train = rng.choice(n, Math.floor(n * fraction), false); // in the order drawn
  const drawn = new Set(train);
  const test = Array.from({ length: n }, (_, i) => i).filter((i) => !drawn.has(i)); // original order
  return { train, test };
}

export function trainSingleUnit(
  features: number[][],
  targets: number[],
  options: { epochs: number; learnrate: number; seed: number },
): { weights: number[]; losses: number[] } {
  const { epochs, learnrate, seed } = options;
  const m = features.length,
    n = features[0].length;
  const weights = new RandomState(seed).normal(0, 1 / Math.sqrt(n), n); // small and random, (n,)
  const losses: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const delW = new Array<number>(n).fill(0); // Σ δ·x over the records, (n,)
    features.forEach((x, i) => {
      const output = sigmoid(dot(x, weights)); // ŷ = σ(x·w)
      const errorTerm = (targets[i] - output) * output * (1 - output); // δ = (y − ŷ)·σ′(h)
      for (let j = 0; j < n; j++) delW[j] += errorTerm * x[j];
    });
    for (let j = 0; j < n; j++) weights[j] += (learnrate * delW[j]) / m; // w ← w + η·Σδx / m
    if (e % (epochs / 10) === 0) {
      const outputs = features.map((x) => sigmoid(dot(x, weights)));
      losses.push(mean(outputs.map((o, i) => (o - targets[i]) ** 2))); // training MSE
    }
  }
  return { weights, losses };
}

export function forwardPass(
  x: number[],
  weightsInputHidden: number[][],
  weightsHiddenOutput: number[][],
): { hidden: number[]; output: number[] } {
  const hidden = vecMat(x, weightsInputHidden).map(sigmoid); // σ(x·W_ih), (n_hidden,)
  const output = vecMat(hidden, weightsHiddenOutput).map(sigmoid); // σ(a·W_ho), (n_output,)
  return { hidden, output };
}

export function backpropStep(
  x: number[],
  target: number,
  weightsInputHidden: number[][],
  weightsHiddenOutput: number[],
  learnrate: number,
): { deltaWeightsInputHidden: number[][]; deltaWeightsHiddenOutput: number[] } {
  const hidden = vecMat(x, weightsInputHidden).map(sigmoid); // a = σ(x·W_ih), (n_hidden,)
  const output = sigmoid(dot(hidden, weightsHiddenOutput)); // ŷ = σ(a·w_ho)
  const outputErrorTerm = (target - output) * output * (1 - output); // δᵒ = (y − ŷ)·σ′
  // δʰⱼ = δᵒ·w_hoⱼ·σ′(hⱼ): the output error sent back through each hidden unit's weight
  const hiddenErrorTerm = hidden.map((a, j) => outputErrorTerm * weightsHiddenOutput[j] * a * (1 - a));
  return {
    deltaWeightsInputHidden: x.map((xi) => hiddenErrorTerm.map((d) => learnrate * d * xi)), // η·x δʰᵀ, (n_in, n_hidden)
    deltaWeightsHiddenOutput: hidden.map((a) => learnrate * outputErrorTerm * a), // η·δᵒ·a, (n_hidden,)
  };
}

export function trainTwoLayer(
  features: number[][],
  targets: number[],
  options: { hidden: number; epochs: number; learnrate: number; seed: number },
): { weightsInputHidden: number[][]; weightsHiddenOutput: number[]; losses: number[]; mse: number[] } {
  const { hidden, epochs, learnrate, seed } = options;
  const m = features.length,
    n = features[0].length;
  const rng = new RandomState(seed);
  const weightsInputHidden = rng.normal(0, 1 / Math.sqrt(n), [n, hidden]); // (n, hidden)
  const weightsHiddenOutput = rng.normal(0, 1 / Math.sqrt(n), hidden); // (hidden,)
  const predict = (x: number[]) => sigmoid(dot(vecMat(x, weightsInputHidden).map(sigmoid), weightsHiddenOutput));
  const losses: number[] = [],
    mse: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const delIH = weightsInputHidden.map((row) => row.map(() => 0)); // Σ over records, (n, hidden)
    const delHO = weightsHiddenOutput.map(() => 0); // (hidden,)
    features.forEach((x, r) => {
      const step = backpropStep(x, targets[r], weightsInputHidden, weightsHiddenOutput, 1); // η applied below
      step.deltaWeightsInputHidden.forEach((row, i) => row.forEach((d, j) => (delIH[i][j] += d)));
      step.deltaWeightsHiddenOutput.forEach((d, j) => (delHO[j] += d));
    });
    delIH.forEach((row, i) => row.forEach((d, j) => (weightsInputHidden[i][j] += (learnrate * d) / m)));
    delHO.forEach((d, j) => (weightsHiddenOutput[j] += (learnrate * d) / m));
    if (e % (epochs / 10) === 0) {
      // NOTE: the course's printed loss is the output for the LAST training record, compared
      // with every target — a quirk we reproduce to match its numbers. `mse` is the real one.
      const last = predict(features[m - 1]);
      losses.push(mean(targets.map((t) => (last - t) ** 2)));
      mse.push(mean(features.map((x, r) => (predict(x) - targets[r]) ** 2)));
    }
  }
  return { weightsInputHidden, weightsHiddenOutput, losses, mse };
}

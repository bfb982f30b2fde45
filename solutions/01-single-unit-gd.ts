// Reference solution of section 01. Each part's function is exported under the part's name;
// the notebook builder copies these bodies verbatim into the solution-filled notebook.
import * as math from "mathjs";
import { map, type Tensor } from "../notebooks/course/tensor";

export function sigmoid<T extends Tensor>(x: T): T {
  // σ(h) = 1 / (1 + e^(−h)), element by element
  return map(x, (h) => 1 / (1 + Math.exp(-h)));
}

export function sigmoidPrime<T extends Tensor>(x: T): T {
  // σ′(h) = σ(h)·(1 − σ(h))
  return map(x, (h) => sigmoid(h) * (1 - sigmoid(h)));
}

export function errorTerm(x: number[], y: number, weights: number[]): number {
  const h = math.dot(x, weights); // h = x·w
  const output = sigmoid(h); // ŷ = σ(h)
  const error = y - output; // y − ŷ
  return error * sigmoidPrime(h); // δ = (y − ŷ)·σ′(h)
}

export function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[] {
  // Δw = η·δ·x
  return math.multiply(learnrate * errorTerm(x, y, weights), x) as number[];
}

export function gradientDescentEpoch(
  features: number[][],
  targets: number[],
  weights: number[],
  learnrate: number,
): number[] {
  const m = features.length;
  let delW = weights.map(() => 0); // Σ δ·x over the records, (n_features,)
  features.forEach((x, i) => {
    delW = math.add(delW, math.multiply(errorTerm(x, targets[i], weights), x)) as number[];
  });
  return math.add(weights, math.multiply(learnrate / m, delW)) as number[]; // w + η·Δw/m
}

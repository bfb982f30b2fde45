// Reference solution of section 04: the 2-3-1 ReLU network trained by per-example SGD.
// Each part is exported under its name; the notebook builder copies these declarations verbatim.

export function relu(x: number): number {
  return x > 0 ? x : 0; // max(0, x)
}

export function reluDerivative(x: number): number {
  // NOTE: ReLU has no slope at exactly 0; like the course we take ReLU′(0) = 0.
  return x > 0 ? 1 : 0;
}

export function outputActivation(x: number): number {
  return x; // the identity: a linear output
}

export function outputActivationDerivative(x: number): number {
  return 1;
}

export class NeuralNetwork {
  // The course's fixed start (do not change). Shapes as in the course: W (3, 2), V (1, 3), b (3, 1).
  inputToHiddenWeights: number[][] = [
    [1, 1],
    [1, 1],
    [1, 1],
  ];
  hiddenToOutputWeights: number[][] = [[1, 1, 1]];
  biases: number[][] = [[0], [0], [0]];
  learningRate = 0.001;
  epochsToTrain = 10;
  trainingPoints: [[number, number], number][] = [
    [[2, 1], 10],
    [[3, 3], 21],
    [[4, 5], 32],
    [[6, 6], 42],
  ];
  testingPoints: [number, number][] = [
    [1, 1],
    [2, 2],
    [3, 3],
    [5, 5],
    [10, 10],
  ];

  /** One step of stochastic gradient descent on L = ½(y − ŷ)² for the example ((x1, x2), y). */
  train(x1: number, x2: number, y: number): void {
    const x = [x1, x2]; // (2,)
    const W = this.inputToHiddenWeights,
      V = this.hiddenToOutputWeights[0],
      b = this.biases;
    // Forward
    const z = W.map((row, j) => row[0] * x1 + row[1] * x2 + b[j][0]); // hidden pre-activations z = W·x + b, (3,)
    const a = z.map(relu); // hidden activations, (3,)
    const u = a.reduce((s, aj, j) => s + V[j] * aj, 0); // output pre-activation u = V·a
    const yHat = outputActivation(u);
    // Backward: δ's are ∂L/∂(pre-activation)
    const outputDelta = (yHat - y) * outputActivationDerivative(u); // ∂L/∂u = −(y − ŷ)·f′(u)
    const hiddenDelta = z.map((zj, j) => outputDelta * V[j] * reluDerivative(zj)); // ∂L/∂z = Vᵀ·δᵒ ⊙ ReLU′(z), (3,)
    // Gradient step (all gradients from the weights before this step)
    const eta = this.learningRate;
    this.hiddenToOutputWeights = [V.map((vj, j) => vj - eta * outputDelta * a[j])]; // V −= η·δᵒ·aᵀ, (1, 3)
    this.inputToHiddenWeights = W.map((row, j) => row.map((wji, i) => wji - eta * hiddenDelta[j] * x[i])); // W −= η·δʰ·xᵀ, (3, 2)
    this.biases = b.map(([bj], j) => [bj - eta * hiddenDelta[j]]); // b −= η·δʰ, (3, 1)
  }

  /** The network's output ŷ for the input (x1, x2). */
  predict(x1: number, x2: number): number {
    const a = this.inputToHiddenWeights.map((row, j) => relu(row[0] * x1 + row[1] * x2 + this.biases[j][0])); // (3,)
    return outputActivation(a.reduce((s, aj, j) => s + this.hiddenToOutputWeights[0][j] * aj, 0));
  }

  /** Every epoch, one train step per training point, in order. */
  trainNeuralNetwork(): void {
    for (let epoch = 0; epoch < this.epochsToTrain; epoch++) {
      for (const [[x1, x2], y] of this.trainingPoints) this.train(x1, x2, y);
    }
  }

  /** Predictions for the test points, stopping after the first one more than 0.1 from 7·x1. */
  testNeuralNetwork(): number[] {
    const predictions: number[] = [];
    for (const [x1, x2] of this.testingPoints) {
      const p = this.predict(x1, x2);
      predictions.push(p);
      if (Math.abs(p - 7 * x1) >= 0.1) break;
    }
    return predictions;
  }
}

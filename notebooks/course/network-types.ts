// The shapes of what section 05's functions pass around (as in the course: a cache per layer,
// parameters and gradients by name). Shared by the notebook and the reference solution.
import type { NDArray } from "./ndarray";

/** What an activation keeps for its derivative: its input Z. */
export interface ActivationCache {
  Z: NDArray;
}
/** What a linear step keeps for its backward step: its input A (the previous layer's activations). */
export interface LinearCache {
  A: NDArray;
}
/** One layer's caches. */
export interface LayerCache {
  linearCache: LinearCache;
  activationCache: ActivationCache;
}
export type Activation = "relu" | "linear";
/** W1, b1, W2, b2, …: W_l is (n_l, n_{l−1}), b_l is (n_l, 1). */
export type Params = Record<string, NDArray>;
/** dW1, db1, dW2, db2, …: the same shapes as the parameters. */
export type Grads = Record<string, NDArray>;

export interface TrainOptions {
  numIterations: number;
  learningRate: number;
  /** α = learningRate / (1 + decayRate · iteration); 0 (the default) keeps it constant. */
  decayRate?: number;
  /** The seed of initializeNetwork (default 0). */
  seed?: number;
  /** Called after every iteration with its cost (the notebook shows progress with it). */
  log?: (iteration: number, cost: number, alpha: number) => void;
}

/** nnCostFunction's signature (Part B): returns [J, grad] with grad unrolled like nnParams. */
export type NnCost = (
  nnParams: NDArray,
  inputLayerSize: number,
  hiddenLayerSize: number,
  numLabels: number,
  X: NDArray,
  y: NDArray,
  lambda: number,
) => [number, NDArray];

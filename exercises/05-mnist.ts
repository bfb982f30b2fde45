// Section 05 as data: MNIST with a multi-layer network (Part A: 05-mnist.network.ts, its forward
// pass; 05-mnist.training.ts, backward and training) and the classic regularized cost with
// gradient checking (Part B: 05-mnist.ex4.ts).
import type { ExerciseSet } from "../grader/sections";
import { seedAllocator } from "./05-mnist.data";
import { ex4Parts } from "./05-mnist.ex4";
import { forwardParts } from "./05-mnist.network";
import { trainingParts } from "./05-mnist.training";
import { notebook } from "./05-mnist.notebook";

// One allocator for all the parts, in the notebook's order: every draw has a seed of its own.
const seed = seedAllocator(3);

export const exerciseSet: ExerciseSet = {
  section: "05-mnist",
  title: "MNIST: a multi-layer network, and the regularized cost with gradient checking",
  notebook,
  given: { doubledGradientCost: "as is", bumpyCost: "as is" },
  parts: [...forwardParts(seed), ...trainingParts(seed), ...ex4Parts(seed)],
};

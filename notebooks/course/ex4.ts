// The Coursera ML ex4 pretrained weights (data/ex4/ex4weights.mat, a MATLAB 5.0 MAT-file).
import { courseDir } from "./node";
import { readMat } from "./matfile";
import type { NDArray } from "./ndarray";

/** Θ1 (25, 401) and Θ2 (10, 26): the course's trained 400-25-10 network, bias column first. */
export function loadEx4Weights(file = `${courseDir}/../../data/ex4/ex4weights.mat`): {
  Theta1: NDArray;
  Theta2: NDArray;
} {
  const vars = readMat(file);
  const get = (name: string, rows: number, cols: number) => {
    const m = vars[name];
    if (!m || m.rows !== rows || m.cols !== cols)
      throw new Error(
        `loadEx4Weights: ${file} has no ${rows} × ${cols} matrix ${name}${m ? ` (it is ${m.rows} × ${m.cols})` : ""}`,
      );
    return m;
  };
  return { Theta1: get("Theta1", 25, 401), Theta2: get("Theta2", 10, 26) };
}

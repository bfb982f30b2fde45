// The Coursera ML ex4 pretrained weights (data/ex4/ex4weights.mat, MATLAB 5.0), read with mat-for-js.
import { array, type NDArray } from "./ndarray";

declare const require: (id: string) => any;
declare const __dirname: string;

/** Θ1 (25, 401) and Θ2 (10, 26): the course's trained 400-25-10 network, bias column first. */
export function loadEx4Weights(file = `${__dirname}/../../data/ex4/ex4weights.mat`): { Theta1: NDArray; Theta2: NDArray } {
  const bytes: Uint8Array = require("fs").readFileSync(file);
  let mat: { data: Record<string, number[][]> };
  try {
    mat = require("mat-for-js").read(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  } catch (e) {
    throw new Error(`loadEx4Weights: ${file} is not a readable MATLAB 5 MAT-file (${(e as Error).message})`);
  }
  const get = (name: string, rows: number, cols: number) => {
    const m = mat.data?.[name];
    if (!Array.isArray(m) || m.length !== rows || m[0]?.length !== cols) throw new Error(`loadEx4Weights: ${file} has no ${rows} × ${cols} matrix ${name}`);
    return array(m);
  };
  return { Theta1: get("Theta1", 25, 401), Theta2: get("Theta2", 10, 26) };
}

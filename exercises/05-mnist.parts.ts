// The small vocabulary section 05's parts are written in: tolerances, `{ nd }` markers, cases
// typed against the solution's functions, and the course's own seed.
import {
  part as typedPart,
  type ArgsOf,
  type CaseOf,
  type Fn,
  type Part,
  type PartOf,
  type Prepend,
} from "../grader/sections";

export const close = { rtol: 1e-9, atol: 1e-12 };
export const trained = { rtol: 1e-6, atol: 1e-9 }; // products may be summed in another order
export const numeric = { rtol: 1e-6, atol: 1e-9 };

export const nd = (rows: number[][]) => ({ nd: rows });
/** The course's own draws (np.random.seed(1) in its examples), which its published numbers come from. */
export const COURSE_SEED = 1;
/** Seeds for the cases' draws, handed out in case order (seedAllocator in 05-mnist.data.ts). */
export type Seeds = (count?: number) => number;
/** Cases of the part F: ["label", ...arguments] each, the arguments checked against F's parameters. */
export const cases = <F extends Fn>(...cs: Prepend<string, ArgsOf<F>>[]): CaseOf<F>[] =>
  cs.map(([label, ...args]) => ({ label: label as string, args: args as ArgsOf<F> }));
/** A part typed against its solution F; its tolerance is `close` unless it says otherwise. */
export const part = <F extends Fn>(p: Omit<PartOf<F>, "tolerance"> & { tolerance?: Part["tolerance"] }): Part =>
  typedPart<F>({ tolerance: close, ...p });

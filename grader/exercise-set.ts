// The format of an exercise set (exercises/<section>.ts): plain data an instructor edits.
import type { Plain } from "../notebooks/course/compare";

/** An argument: plain data (numbers, arrays, records), or a mathjs matrix built in the learner's process. */
export type Arg = Plain | { matrix: number[][] };

export interface Case {
  /** Which kind of input this is; shown in feedback ("a mathjs matrix", "a 2-record batch"). */
  label: string;
  args: Arg[];
}

export interface Part {
  /** The function the learner writes; parts are found by this name. */
  name: string;
  points: number;
  /** The stub's declaration line, exactly as the notebook shows it. */
  signature: string;
  /** Visible to learners: run by `check(name)` in the notebook. */
  publicCases: Case[];
  /** Inputs only: expected values are computed from the solution inside the grader. */
  hiddenCases: Case[];
  tolerance: { rtol: number; atol: number };
  hint: string;
  /** Parts whose functions this one calls: when they fail, this one is documented to fail too. */
  uses?: string[];
  /** Per-call time limit in milliseconds. */
  timeoutMs?: number;
}

export type NotebookCell =
  | { markdown: string }
  | { code: string }
  | { stub: string } // the stub of the part with this name
  | { check: string }; // a public check cell for that part

export interface ExerciseSet {
  section: string; // e.g. "01-single-unit-gd"
  title: string;
  parts: Part[];
  notebook: NotebookCell[];
}

export function totalPoints(set: ExerciseSet): number {
  return set.parts.reduce((s, p) => s + p.points, 0);
}

// Expected values: computed in the grader process from solutions/<section>.ts, never written
// anywhere a learner's process or notebook can read them.
import * as path from "path";
import * as math from "mathjs";
import type { Arg, Case, ExerciseSet, Part } from "./exercise-set";
import type { Plain } from "../notebooks/course/compare";

export const projectRoot = path.resolve(__dirname, "..");

export function loadExerciseSet(section: string): ExerciseSet {
  return require(path.join(projectRoot, "exercises", section)).exerciseSet;
}
export function loadSolution(section: string): Record<string, (...a: any[]) => unknown> {
  return require(path.join(projectRoot, "solutions", section));
}

export const toArg = (a: Arg): unknown => (typeof a === "object" && !Array.isArray(a) ? math.matrix(a.matrix) : structuredClone(a));
export const toPlain = (v: any): Plain => (math.isMatrix(v) ? (v.toArray() as Plain) : Array.isArray(v) ? v.map(toPlain) : v);

export function expectedValue(solution: Record<string, (...a: any[]) => unknown>, part: Part, c: Case): Plain {
  const fn = solution[part.name];
  if (typeof fn !== "function") throw new Error(`solutions: no exported function "${part.name}"`);
  return toPlain(fn(...c.args.map(toArg)));
}

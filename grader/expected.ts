// Expected values: computed in the grader process from solutions/<section>.ts, never written
// anywhere a learner's process or notebook can read them.
import * as path from "path";
import * as fs from "fs";
import type { Case, ExerciseSet, Part } from "./exercise-set";
import { toArg, toPlain } from "../notebooks/course/values";
import type { Plain } from "../notebooks/course/compare";

export const projectRoot = path.resolve(__dirname, "..");

export function loadExerciseSet(section: string): ExerciseSet {
  return require(path.join(projectRoot, "exercises", section)).exerciseSet;
}
export function loadSolution(section: string): Record<string, (...a: any[]) => unknown> {
  return require(path.join(projectRoot, "solutions", section));
}

/** Sections are the exercise sets: exercises/NN-name.ts (their notebook text is in NN-name.notebook.ts). */
export const listSections = (): string[] =>
  fs.readdirSync(path.join(projectRoot, "exercises")).filter((f) => /^\d\d-[a-z0-9-]+\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, ""));

const memo = new WeakMap<Case, Plain>();

/** The solution's value for a case; computed once per case and grader process (training runs take a while). */
export function expectedValue(solution: Record<string, (...a: any[]) => unknown>, part: Part, c: Case): Plain {
  const fn = solution[part.name];
  if (typeof fn !== "function") throw new Error(`solutions: no exported function "${part.name}"`);
  if (!memo.has(c)) memo.set(c, toPlain(fn(...c.args.map(toArg))));
  return structuredClone(memo.get(c)!);
}

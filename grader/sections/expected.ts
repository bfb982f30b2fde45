// Expected values: computed in the grader process from solutions/<section>.ts, never written
// anywhere a learner's process or notebook can read them.
import * as path from "path";
import * as fs from "fs";
import type { Case, ExerciseSet, Part } from "./exercise-set";
import { invokePart, toPlain, withBackend, type Definitions, type Plain } from "../../notebooks/course/shared";

export const projectRoot = path.resolve(__dirname, "..", "..");

/** Where a learner's notebook runs (notebooks/) and what its process may read: the installed packages and the public data — never solutions/. */
export const learnerPlace = () => ({
  notebookDir: path.join(projectRoot, "notebooks"),
  // and the course's mathjs (notebooks/kernel/mathjs.js, see grader/isolation/child/modules.ts) with its names
  readable: ["node_modules", "data", "notebooks/kernel/mathjs.js", "notebooks/kernel/mathjs-names.json"].map((d) =>
    path.join(projectRoot, d),
  ),
});

export function loadExerciseSet(section: string): ExerciseSet {
  return require(path.join(projectRoot, "exercises", section)).exerciseSet;
}
export function loadSolution(section: string): Definitions {
  return require(path.join(projectRoot, "solutions", section));
}

/** Sections are the exercise sets: exercises/NN-name.ts (their notebook text is in NN-name.notebook.ts). */
export const listSections = (): string[] =>
  fs
    .readdirSync(path.join(projectRoot, "exercises"))
    .filter((f) => /^\d\d-[a-z0-9-]+\.ts$/.test(f))
    .map((f) => f.replace(/\.ts$/, ""));

/** The exercise sets whose numbers vary per learner (their `variants`). */
export const varyingSets = (): ExerciseSet[] =>
  listSections()
    .map((s) => loadExerciseSet(s))
    .filter((set) => set.variants);

/** A section by its full name or a unique start of it ("05", "05-mnist"); undefined if none or several match. */
export function findSection(name: string): string | undefined {
  const known = listSections();
  if (known.includes(name)) return name;
  const matches = known.filter((s) => s.startsWith(name));
  return matches.length === 1 ? matches[0] : undefined;
}

const memo = new WeakMap<Case, Plain>();

/** The solution's value for a case; computed once per case and grader process (training runs take a while). */
export function expectedValue(solution: Definitions, part: Part, c: Case): Plain {
  if (!memo.has(c)) memo.set(c, toPlain(invokePart(solution, part, c.args)) as Plain);
  return structuredClone(memo.get(c)!);
}

/**
 * A public case's expected value as the notebook's checks file holds it: computed with the
 * TypeScript matmul kernel whatever BLAS this machine has.
 * NOTE: BLAS libraries (and one library on different CPUs or thread counts) sum products in
 * different orders, so their last bits differ; the TypeScript kernel's order is fixed and V8's
 * float64 arithmetic is the same everywhere, so `course build` writes the same bytes on every
 * machine. Public cases are small: the slower kernel costs nothing here.
 */
export function publicExpectedValue(solution: Definitions, part: Part, c: Case): Plain {
  return withBackend("js", () => toPlain(invokePart(solution, part, c.args)) as Plain);
}

/** The solution's answer to an answer part. */
export function expectedAnswer(solution: Record<string, unknown>, part: Part): number | string[] {
  if (part.answer?.expected) return part.answer.expected(solution as Definitions);
  const v = solution[part.name];
  if (typeof v !== "number" && !Array.isArray(v)) throw new Error(`solutions: no exported answer "${part.name}"`);
  return v as number | string[];
}

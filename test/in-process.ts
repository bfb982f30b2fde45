// Grading a variant of a section's solution in this process, without a learner process: for the kept
// broken versions, whose point is the exercise set's hidden cases (the isolation is tested end to end
// by the corpus and `course verify`). The same check.ts rules run on the same expected values.
import { checkPart, noteDependencies, type PartResult } from "../grader/pipeline";
import { loadExerciseSet, loadSolution } from "../grader/sections";
import type { CallOutcome, Isolated } from "../grader/isolation";
import { editedSolution } from "../grader/authoring";
import { invokePart, NotDefined, toPlain } from "../notebooks/course/shared";

/** An Isolated that calls `defs` directly (a solution module or a variant of it). */
export function inProcess(defs: Record<string, any>): Isolated {
  return {
    loadErrors: async () => [],
    async call(name, args, _timeoutMs, target = { kind: "function" }): Promise<CallOutcome> {
      if (target.kind === "answer") {
        const v = defs[name];
        return v === undefined
          ? { kind: "missing", message: "not found" }
          : v === null
            ? { kind: "unanswered" }
            : { kind: "value", value: v };
      }
      try {
        return {
          kind: "value",
          value: toPlain(
            invokePart(
              defs,
              { name, ...(target.kind === "method" ? { method: { stateFields: target.fields } } : {}) },
              args,
            ),
          ),
        };
      } catch (e) {
        if (e instanceof NotDefined)
          return { kind: "missing", message: e.kind === "class" ? `class \`${e.what}\` not found` : "not found" };
        return {
          kind: "threw",
          error: { name: (e as Error)?.name ?? "Error", message: String((e as Error)?.message ?? e) },
        };
      }
    },
    close: () => undefined,
  };
}

/** The section's parts (all, or `only`) checked against its solution with `name`'s declaration edited. */
export async function gradeEdited(
  section: string,
  name: string,
  edits: [string, string][],
  only?: string[],
): Promise<{ parts: PartResult[] }> {
  const set = loadExerciseSet(section);
  const run = inProcess(editedSolution(section, name, edits));
  const parts: PartResult[] = [];
  for (const p of set.parts.filter((x) => !only || only.includes(x.name)))
    parts.push(await checkPart(p, loadSolution(section), { cells: [], sideOutputs: [] }, run));
  noteDependencies(set, parts);
  return { parts };
}

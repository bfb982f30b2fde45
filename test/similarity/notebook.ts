// A learner's notebook of section 01 from their code: the released notebook with each stub cell
// replaced by the learner's function for that part.
import { buildNotebook, notebookJson } from "../../grader/authoring";
import { loadExerciseSet } from "../../grader/sections";
import type { Solution } from "./class";

export function notebookOf(solution: Solution, learner?: string): string {
  const nb = buildNotebook(loadExerciseSet("01-single-unit-gd"), false) as {
    cells: { cell_type: string; source: string | string[] }[];
    metadata: Record<string, unknown>;
  };
  for (const c of nb.cells) {
    const src = Array.isArray(c.source) ? c.source.join("") : c.source;
    const part = (Object.keys(solution) as (keyof Solution)[]).find(
      (p) => src.startsWith(`function ${p}<`) || src.startsWith(`function ${p}(`),
    );
    if (c.cell_type === "code" && part) c.source = solution[part];
  }
  if (learner) nb.metadata = { ...nb.metadata, course: { learner } };
  return notebookJson(nb);
}

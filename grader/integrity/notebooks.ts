// The similarity report over notebooks: each file's code cells against the section's released
// notebook (its code is everyone's, not the learner's), named by the notebook's learner or its file.
import * as path from "path";
import { buildNotebook } from "../authoring";
import { extractCode, learnerText, loadNotebook } from "../pipeline";
import { loadExerciseSet } from "../sections";
import { compareCode, type Similarity, type SimilarityOptions } from "./similarity";

/** The released notebook's code cells: what every learner was given. */
export function releasedCode(section: string): { cell: number; source: string }[] {
  const nb = buildNotebook(loadExerciseSet(section), false) as {
    cells: { cell_type: string; source: string | string[] }[];
  };
  return nb.cells
    .filter((c) => c.cell_type === "code")
    .map((c, i) => ({ cell: i + 1, source: Array.isArray(c.source) ? c.source.join("") : c.source }));
}

export function compareNotebooks(
  section: string,
  files: string[],
  opts: SimilarityOptions = {},
): Similarity & { unreadable: { name: string; why: string }[] } {
  const unreadable: { name: string; why: string }[] = [];
  const submissions = files.flatMap((file) => {
    const name = learnerText(path.basename(file).replace(/\.ipynb$/i, ""));
    try {
      const nb = loadNotebook(file);
      const claimed = nb.learner ? learnerText(nb.learner) : name;
      return [{ name: claimed === name ? name : `${claimed} (${name})`, cells: extractCode(nb) }];
    } catch (e) {
      unreadable.push({ name, why: (e as Error).message });
      return [];
    }
  });
  return { ...compareCode(submissions, releasedCode(section), opts), unreadable };
}

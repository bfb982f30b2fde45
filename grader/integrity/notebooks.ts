// The similarity report over notebooks: each file's code cells against the section's released
// notebook (its code is everyone's, not the learner's), named by the notebook's learner or its file.
import * as path from "path";
import { buildNotebook } from "../authoring";
import { extractCode, learnerText, loadNotebook, type Notebook } from "../pipeline";
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

export type Compared = Similarity & { unreadable: { name: string; why: string }[] };

/** Notebook files, each named by the learner it claims (and its file name when that differs). */
export function compareNotebooks(section: string, files: string[], opts: SimilarityOptions = {}): Compared {
  return compareNotebookTexts(
    section,
    files.map((file) => {
      const name = learnerText(path.basename(file).replace(/\.ipynb$/i, ""));
      return { name, read: () => loadNotebook(file), claimed: true };
    }),
    opts,
  );
}

/** Notebooks already in hand (the service's stored submissions), each with the name to show. */
export function compareStoredNotebooks(
  section: string,
  items: { name: string; text: string }[],
  opts: SimilarityOptions = {},
): Compared {
  return compareNotebookTexts(
    section,
    items.map((i) => ({ name: i.name, read: () => loadNotebook(i.name, () => i.text), claimed: false })),
    opts,
  );
}

function compareNotebookTexts(
  section: string,
  items: { name: string; read: () => Notebook; claimed: boolean }[],
  opts: SimilarityOptions,
): Compared {
  const unreadable: { name: string; why: string }[] = [];
  const submissions = items.flatMap(({ name, read, claimed }) => {
    try {
      const nb = read();
      const who = claimed && nb.learner ? learnerText(nb.learner) : name;
      return [{ name: who === name ? name : `${who} (${name})`, cells: extractCode(nb) }];
    } catch (e) {
      unreadable.push({ name, why: (e as Error).message });
      return [];
    }
  });
  return { ...compareCode(submissions, releasedCode(section), opts), unreadable };
}

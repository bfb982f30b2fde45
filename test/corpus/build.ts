// Builds corpus submissions: the section's solution-filled notebook with some cells changed,
// inserted or appended — or a raw file, for the ones that are not notebooks at all.
import { buildNotebook, notebookJson } from "../../grader/authoring";
import { loadExerciseSet } from "../../grader/sections";

export interface CellEdits {
  /** Start from the notebook as handed out (stubs) instead of the solution-filled one. */
  stubs?: boolean;
  /** The notebook's metadata.course.learner: who it claims to be by. */
  learner?: string;
  /** Replacements inside the solution text of the cell defining a name: [name, from, to]. */
  edit?: [name: string, from: string, to: string][];
  /** The cell defining this name gets this source (null deletes the cell). */
  replace?: Record<string, string | null>;
  /** A new code cell right after the cell defining this name (or first, with "^"). */
  insertAfter?: [name: string, source: string][];
  /** New code cells at the end. */
  append?: string[];
}

const declares = (source: string, name: string) => new RegExp(`^(function|class|const) ${name}\\b`, "m").test(source);
const code = (source: string) => ({
  cell_type: "code",
  execution_count: null,
  metadata: {},
  outputs: [],
  source: [source],
});
const text = (c: any) => [].concat(c.source).join("");

/** The solution-filled notebook of `section` as an object (a fresh copy each time). */
export const filled = (section: string): any => structuredClone(buildNotebook(loadExerciseSet(section), true));

export function edited(section: string, e: CellEdits): any {
  const nb = e.stubs ? structuredClone(buildNotebook(loadExerciseSet(section), false)) : filled(section);
  const at = (name: string) => {
    const i = nb.cells.findIndex((c: any) => c.cell_type === "code" && declares(text(c), name));
    if (i < 0) throw new Error(`corpus: no cell of ${section} defines ${name}`);
    return i;
  };
  for (const [name, source] of Object.entries(e.replace ?? {})) {
    const i = at(name);
    if (source === null) nb.cells.splice(i, 1);
    else nb.cells[i].source = [source];
  }
  for (const [name, source] of e.insertAfter ?? []) nb.cells.splice(name === "^" ? 1 : at(name) + 1, 0, code(source));
  for (const source of e.append ?? []) nb.cells.push(code(source));
  for (const [name, from, to] of e.edit ?? []) {
    const cell = nb.cells[at(name)],
      source = text(cell);
    if (!source.includes(from)) throw new Error(`corpus: "${from}" is not in the cell defining ${name}`);
    cell.source = [source.replace(from, to)];
  }
  if (e.learner !== undefined) nb.metadata = { ...nb.metadata, course: { learner: e.learner } };
  return nb;
}

export const json = (nb: object) => notebookJson(nb);

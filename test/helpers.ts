// Builds submission notebooks for the tests: the solution-filled notebook with some cells changed.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildNotebook, notebookJson } from "../grader/notebook-build";
import { loadExerciseSet } from "../grader/expected";

export const section = "01-single-unit-gd";
export const set = loadExerciseSet(section);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "course-test-"));

export function filledNotebook(): any {
  return buildNotebook(set, true);
}

/** Writes a variant of the solution notebook where the cell defining `name` becomes `source`. */
export function writeVariant(file: string, edits: Record<string, string | null>, base: any = filledNotebook()): string {
  const nb = structuredClone(base);
  for (const [name, source] of Object.entries(edits)) {
    const i = nb.cells.findIndex((c: any) => c.cell_type === "code" && c.source.join("").startsWith(`function ${name}`));
    if (i < 0) throw new Error(`no cell defines ${name}`);
    if (source === null) nb.cells.splice(i, 1);
    else nb.cells[i].source = [source];
  }
  const p = path.join(tmp, file);
  fs.writeFileSync(p, notebookJson(nb));
  return p;
}

export function writeRaw(file: string, text: string): string {
  const p = path.join(tmp, file);
  fs.writeFileSync(p, text);
  return p;
}

/** Parts that call `name`, directly or through other parts (documented by `uses`). */
export function dependents(name: string): string[] {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of set.parts) if (!out.has(p.name) && (p.uses ?? []).some((u) => u === name || out.has(u))) { out.add(p.name); grew = true; }
  }
  return [...out];
}

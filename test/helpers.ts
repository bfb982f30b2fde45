// Builds submission notebooks for the tests: the solution-filled notebook with some cells changed.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildNotebook, notebookJson } from "../grader/authoring";
import { loadExerciseSet } from "../grader/sections";

/** A writable stream that keeps what is written (`.text`): the CLI's out and err in tests. */
export const sink = () => {
  let text = "";
  return {
    write: (s: string) => ((text += s), true),
    get text() {
      return text;
    },
  } as any;
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "course-test-"));
const declares = (source: string, name: string) => new RegExp(`^(function|class|const) ${name}\\b`, "m").test(source);

/** Variant-notebook builders for one section. */
export function variants(section: string) {
  const set = loadExerciseSet(section);
  const filledNotebook = (): any => buildNotebook(set, true);

  /** Writes a variant of the solution notebook where the cell defining `name` becomes `source` (null deletes it). */
  function writeVariant(file: string, edits: Record<string, string | null>, base: any = filledNotebook()): string {
    const nb = structuredClone(base);
    for (const [name, source] of Object.entries(edits)) {
      const i = nb.cells.findIndex((c: any) => c.cell_type === "code" && declares(c.source.join(""), name));
      if (i < 0) throw new Error(`no cell defines ${name}`);
      if (source === null) nb.cells.splice(i, 1);
      else nb.cells[i].source = [source];
    }
    const p = path.join(tmp, file);
    fs.writeFileSync(p, notebookJson(nb));
    return p;
  }

  /** Like writeVariant, with the solution's text of `name` (a function, class or const) edited by string replacements. */
  function writeEdited(file: string, name: string, ...replacements: [string, string][]): string {
    return writeManyEdited(file, [{ cell: name, edits: replacements }]);
  }

  /** The solution-filled notebook with the text of several declarations edited (each { cell, edits } as writeEdited's). */
  function writeManyEdited(file: string, changes: { cell: string; edits: [string, string][] }[]): string {
    const nb = filledNotebook(),
      sources: Record<string, string> = {};
    for (const { cell: name, edits } of changes) {
      const cell = nb.cells.find((c: any) => c.cell_type === "code" && declares(c.source.join(""), name));
      let source: string = cell.source.join("");
      for (const [from, to] of edits) {
        if (!source.includes(from)) throw new Error(`${name}: "${from}" not in the solution`);
        source = source.replace(from, to);
      }
      sources[name] = source;
    }
    return writeVariant(file, sources, nb);
  }

  /** Parts that call `name`, directly or through other parts (documented by `uses`). */
  function dependents(name: string): string[] {
    const out = new Set<string>();
    let grew = true;
    while (grew) {
      grew = false;
      for (const p of set.parts)
        if (!out.has(p.name) && (p.uses ?? []).some((u) => u === name || out.has(u))) {
          out.add(p.name);
          grew = true;
        }
    }
    return [...out];
  }

  return { section, set, filledNotebook, writeVariant, writeEdited, writeManyEdited, dependents };
}

export const { section, set, filledNotebook, writeVariant, dependents } = variants("01-single-unit-gd");

export function writeRaw(file: string, text: string): string {
  const p = path.join(tmp, file);
  fs.writeFileSync(p, text);
  return p;
}

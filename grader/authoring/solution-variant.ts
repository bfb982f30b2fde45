// A solution module with one declaration changed, compiled and loaded in this process: the mutation
// engine's mutants (verify.ts) and the tests' kept broken versions. Trusted code only — the course's
// own solutions, edited by its own tools — so no isolation.
import * as path from "path";
import * as ts from "typescript";
import { solutionDeclaration } from "./notebook-build";
import type { Definitions } from "../../notebooks/course/shared";

/** The module `source` (standing for `file`) compiled and loaded, or not ok when it does not compile or load. */
export function loadVariant(file: string, source: string): { ok: true; value: Definitions } | { ok: false } {
  try {
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    const mod = { exports: {} as Definitions };
    const req = (id: string) => require(id.startsWith(".") ? path.resolve(path.dirname(file), id) : id);
    new Function("exports", "require", "module", "__filename", "__dirname", js)(
      mod.exports,
      req,
      mod,
      file,
      path.dirname(file),
    );
    return { ok: true, value: mod.exports };
  } catch {
    return { ok: false };
  }
}

/** solutions/<section>.ts with text replacements inside the declaration of `name`; throws when one does not apply. */
export function editedSolution(section: string, name: string, edits: [from: string, to: string][]): Definitions {
  const d = solutionDeclaration(section, name);
  let text = d.source.slice(d.start, d.end);
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`${section}: "${from}" is not in the solution's ${name}`);
    text = text.replace(from, to);
  }
  const v = loadVariant(d.file, d.source.slice(0, d.start) + text + d.source.slice(d.end));
  if (!v.ok) throw new Error(`${section}: the solution with ${name} edited does not compile or load`);
  return v.value;
}

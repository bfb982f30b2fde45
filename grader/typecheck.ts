// Stage 3 — type-check: each cell through tslab's own converter, as the kernel does it: the same
// TypeScript (tslab's bundled 5.0), the same cell-to-cell declarations. A cell with errors is
// skipped, exactly as the kernel refuses to run it; other cells still run.
import { createHash } from "crypto";
import * as path from "path";
import * as ts from "typescript";
import type { CodeCell } from "./extract";

export interface Diagnostic { line: number; col: number; message: string }
export interface CheckedCell { cell: number; js?: string; topLevelAwait: boolean; diagnostics: Diagnostic[]; declares: string[] }
export interface CheckedProgram { cells: CheckedCell[]; sideOutputs: { path: string; data: string }[] }

// NOTE: tslab emits a helper file's JS (side output) only when it changed, so a converter reused
// for the next notebook emits none: keep every side output for the converter's lifetime.
let converter: { dir: string; conv: any; side: Map<string, string> } | undefined;

/** tslab resolves imports (./course, mathjs) from the directory current when it is created. */
function converterFor(notebookDir: string) {
  if (converter?.dir === notebookDir) return converter;
  converter?.conv.close();
  cache.clear(); // conversions belong to one converter (one notebook folder)
  const { createConverter } = require("tslab/dist/converter");
  const cwd = process.cwd();
  process.chdir(notebookDir);
  try {
    converter = { dir: notebookDir, conv: createConverter(), side: new Map() };
  } finally {
    process.chdir(cwd);
  }
  return converter;
}

// A cell's conversion depends only on the declarations before it and its own text, and in a
// batch most cells (imports, given code, untouched stubs, any cell after identical signatures)
// repeat across learners: converting is ~60 ms a cell, a cache hit ~0.
const cache = new Map<string, any>();
const CACHE_LIMIT = 20000;

function convert(conv: any, side: Map<string, string>, prevDecl: string, source: string): any {
  const key = createHash("sha256").update(prevDecl).update("\u0000").update(source).digest("base64");
  const hit = cache.get(key);
  if (hit) return hit;
  const r = conv.convert(prevDecl, source);
  for (const s of r.sideOutputs ?? []) side.set(s.path, s.data);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, { diagnostics: r.diagnostics, declOutput: r.declOutput, output: r.output, hasToplevelAwait: r.hasToplevelAwait });
  return r;
}

/** TypeScript takes minutes over megabytes of code: no learner's cell needs more than this. */
export const MAX_CELL_CHARS = 256 * 1024;

export function typeCheck(cells: CodeCell[], notebookDir: string): CheckedProgram {
  const { conv, side } = converterFor(path.resolve(notebookDir));
  let prevDecl = "";
  const out = cells.map((c): CheckedCell => {
    if (c.source.length > MAX_CELL_CHARS) {
      const message = `the cell holds ${(c.source.length / 1048576).toFixed(1)} MB of code; cells over ${MAX_CELL_CHARS / 1024} KB are not compiled (paste data into a file under data/ instead)`;
      return { cell: c.cell, topLevelAwait: false, diagnostics: [{ line: 1, col: 1, message }], declares: topLevelNames(c.source.slice(0, 10000)) };
    }
    const r = convert(conv, side, prevDecl, c.source);
    const declares = topLevelNames(c.source);
    if (r.diagnostics.length > 0) {
      const diagnostics = r.diagnostics.map((d: any) => ({ line: d.start.line + 1, col: d.start.character + 1, message: flatten(d.messageText) }));
      return { cell: c.cell, topLevelAwait: false, diagnostics, declares };
    }
    prevDecl = r.declOutput ?? "";
    return { cell: c.cell, js: r.output ?? "", topLevelAwait: !!r.hasToplevelAwait, diagnostics: [], declares };
  });
  return { cells: out, sideOutputs: [...side].map(([p, data]) => ({ path: p, data })) };
}

const flatten = (m: string | { messageText: string }) => (typeof m === "string" ? m : m.messageText);

/** Names a cell declares at top level (functions, classes, variables), found by parsing only. */
export function topLevelNames(source: string): string[] {
  const sf = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const names: string[] = [];
  for (const st of sf.statements) {
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) names.push(st.name.text);
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
  }
  return names;
}

/** Releases tslab's compiler (its file watchers keep the process alive). */
export function closeTypeChecker(): void {
  converter?.conv.close();
  cache.clear(); // conversions belong to one converter (one notebook folder)
  converter = undefined;
}

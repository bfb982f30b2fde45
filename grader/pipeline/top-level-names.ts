// The names a cell declares at top level (functions, classes, variables), found by parsing only —
// with whichever TypeScript the caller has loaded: the type-check's thread uses tslab's own (this file
// is bundled into it, see typecheck-thread.ts), the grader its own, loaded only when needed.
import type * as TS from "typescript";

export function topLevelNames(ts: typeof TS, source: string): string[] {
  let sf: TS.SourceFile;
  try {
    sf = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  } catch {
    return []; // the parser's own limits (code nested thousands deep): such a cell declares nothing usable
  }
  const names: string[] = [];
  for (const st of sf.statements) {
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) names.push(st.name.text);
    if (ts.isVariableStatement(st))
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
  }
  return names;
}

// A learner's code as the similarity report compares it: the TypeScript scanner's tokens, with
// comments and whitespace gone and every name, number and string made the same token — so renaming
// variables, re-commenting or re-spacing a copy changes nothing it sees.
import type * as TS from "typescript";
import { lazyTypeScript } from "../pipeline";

export interface Token {
  /** What is compared: a keyword or punctuation as written, else "id", "num" or "str". */
  kind: string;
  /** Where it came from: the code cell and the line in it (1-based). */
  cell: number;
  line: number;
}

/** The tokens of one cell's code. */
export function tokenize(source: string, cell: number): Token[] {
  const t = lazyTypeScript();
  const scanner = t.createScanner(t.ScriptTarget.Latest, true, t.LanguageVariant.Standard, source);
  const out: Token[] = [];
  let line = 1,
    seen = 0;
  for (let kind = scanner.scan(); kind !== t.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const at = scanner.getTokenPos();
    for (; seen < at; seen++) if (source.charCodeAt(seen) === 10) line++;
    out.push({ kind: normal(t, kind, scanner.getTokenText()), cell, line });
  }
  return out;
}

function normal(t: typeof TS, kind: TS.SyntaxKind, text: string): string {
  if (kind === t.SyntaxKind.Identifier || kind === t.SyntaxKind.PrivateIdentifier) return "id";
  if (kind === t.SyntaxKind.NumericLiteral || kind === t.SyntaxKind.BigIntLiteral) return "num";
  if (
    kind === t.SyntaxKind.StringLiteral ||
    kind === t.SyntaxKind.NoSubstitutionTemplateLiteral ||
    kind === t.SyntaxKind.TemplateHead ||
    kind === t.SyntaxKind.TemplateMiddle ||
    kind === t.SyntaxKind.TemplateTail ||
    kind === t.SyntaxKind.RegularExpressionLiteral
  )
    return "str";
  return text;
}

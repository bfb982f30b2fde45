// Stage 2 — extract: the learner's code cells, in order, with their cell numbers (1-based, counting all cells).
import { InputError } from "./errors";
import type { Notebook } from "./load-notebook";

export interface CodeCell {
  cell: number;
  source: string;
}

export function extractCode(nb: Notebook): CodeCell[] {
  const code = nb.cells
    .map((c, i) => ({
      cell: i + 1,
      type: c.cell_type,
      source: (Array.isArray(c.source) ? c.source.join("") : c.source).replace(/\r\n/g, "\n"),
    }))
    .filter((c) => c.type === "code")
    .map(({ cell, source }) => ({ cell, source }));
  if (code.length === 0) throw new InputError(`${nb.path}: the notebook has no code cells — is this the right file?`);
  return code;
}

/** The section a notebook's `checker("…")` call names, among `known` (the first of them named), if any. */
export const checkerSection = (cells: CodeCell[], known: string[]): string | undefined =>
  known.find((s) => cells.some((c) => c.source.includes(`checker("${s}")`)));

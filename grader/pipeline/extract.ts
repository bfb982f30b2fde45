// Stage 2 — extract: the learner's code cells, in order, numbered as a learner can find them: the
// n-th code cell (markdown cells are not counted), with the `In [k]` Jupyter showed when it was saved.
import { InputError } from "./errors";
import type { Notebook } from "./load-notebook";

export interface CodeCell {
  /** 1-based, among the code cells. */
  cell: number;
  source: string;
  /** How feedback names it: "code cell 7 (In [12])". */
  label: string;
}

export const cellLabel = (cell: number, count?: number | null): string =>
  `code cell ${cell}${Number.isInteger(count) ? ` (In [${count}])` : ""}`;

export function extractCode(nb: Notebook): CodeCell[] {
  const code = nb.cells
    .filter((c) => c.cell_type === "code")
    .map((c, i) => ({
      cell: i + 1,
      source: (Array.isArray(c.source) ? c.source.join("") : c.source).replace(/\r\n/g, "\n"),
      label: cellLabel(i + 1, c.execution_count),
    }));
  if (code.length === 0) throw new InputError(`${nb.path}: the notebook has no code cells — is this the right file?`);
  return code;
}

/** The section a notebook's `checker("…")` call names, among `known` (the first of them named), if any. */
export const checkerSection = (cells: CodeCell[], known: string[]): string | undefined =>
  known.find((s) => cells.some((c) => c.source.includes(`checker("${s}"`)));

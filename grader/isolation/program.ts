// A notebook's code as the learner's process runs it: each cell compiled to JavaScript, with its
// diagnostics and the names it declares (the type-check's product; the sandbox's input).

export interface Diagnostic {
  line: number;
  col: number;
  message: string;
  /** The file of the notebooks' folder the error is in (relative), when it is not in the cell. */
  file?: string;
}
export interface CheckedCell {
  cell: number;
  /** How feedback names the cell ("code cell 7 (In [12])"). */
  label: string;
  js?: string;
  topLevelAwait: boolean;
  diagnostics: Diagnostic[];
  declares: string[];
}
export interface CheckedProgram {
  cells: CheckedCell[];
  sideOutputs: { path: string; data: string }[];
}

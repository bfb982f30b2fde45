// Types of conversions.js (plain JavaScript: the kernel loads it before anything is compiled).

/** A type error as the cache keeps it (1-based; `file` relative to the folder when not in the cell). */
export interface EntryDiagnostic {
  line: number;
  col: number;
  message: string;
  file?: string;
}
/** A cell's conversion as the cache keeps it (the grader adds the names the cell declares). */
export interface ConversionEntry {
  diagnostics: EntryDiagnostic[];
  declOutput: string;
  output: string;
  hasToplevelAwait: boolean;
  lastExpressionVar?: string;
}
export declare const KIND: string;
export declare const HELPER_KEY: string;
export declare const HELPER_CELL: string;
export declare function converterPaths(from: string): { converterPath: string; typescriptPath: string };
export declare function conversionTag(dir: string, paths?: { converterPath: string; typescriptPath: string }): string;
export declare function treeStamp(dir: string): string;
export declare function entryOf(r: import("tslab/dist/converter").ConvertResult): ConversionEntry;
export declare function resultOf(e: ConversionEntry): import("tslab/dist/converter").ConvertResult;
export declare function isEntry(e: unknown): e is ConversionEntry;
export declare function parse<T = unknown>(text: string | undefined): T | undefined;
export declare function importsOtherLocal(src: string): boolean;

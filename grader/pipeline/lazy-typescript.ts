// The grader's TypeScript (for parsing a cell's names, transpiling the grader's own thread code and the
// similarity report's scanner),
// loaded on first use: it takes ~0.6 s to load, and a grade whose conversions all come from the cache
// needs none of it.
import type * as TS from "typescript";

let loaded: typeof TS | undefined;
export const lazyTypeScript = (): typeof TS => (loaded ??= require("typescript") as typeof TS);

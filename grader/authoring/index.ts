// The instructor's tools: build notebooks from exercise data, verify them (solution 100 %, stub 0,
// mutants caught), release them, and bundle a section for Gradescope.
// May import: pipeline/, sections/.
export { buildGradescope } from "./gradescope";
export { buildAll, buildNotebook, notebookJson, publicChecks, publicChecksJson } from "./notebook-build";
export { buildRelease } from "./release";
export { editedSolution } from "./solution-variant";
export { checkLeaks, verifySection } from "./verify";

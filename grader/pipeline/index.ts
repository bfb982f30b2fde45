// The grading pipeline: one notebook file in, a graded report out. load → extract → section →
// type-check → run isolated → check each part → report (grade.ts runs the stages in order).
// May import: isolation/, sections/, notebooks/course/shared/.
export { checkPart, noteDependencies, type PartResult } from "./check";
export { InputError } from "./errors";
export { extractCode } from "./extract";
export { lazyTypeScript } from "./lazy-typescript";
export { NOTEBOOK_BUDGET_MS, gradeNotebook, notebookDir } from "./grade";
export { loadNotebook, type Notebook, type NotebookJson } from "./load-notebook";
export { formatTable, gradescopeJson, statusOf, type GradeReport, type LearnerStatus } from "./report";
export { htmlText, learnerText, markdownText, oneLine } from "./sanitize";
export { TYPECHECK_MS, closeTypeChecker, createTypeChecker, sharedTypeChecker } from "./typecheck";
export { MAX_NOTEBOOK_BYTES } from "./load-notebook";

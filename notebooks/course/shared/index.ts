// What the notebook's check() and the grader share: the call path (invoke), values across the
// process boundary (values), comparison with tolerances (compare), the grading manifest (grading)
// and the result's view (submit-view). The only door from grader/ into the learner's helper; it also
// lends the grader the helper's matrix backend and chart renderer. Helper files import these directly.
export { checksFileName } from "./checks-file";
export { compareValues, type Plain, type Tolerance } from "./compare";
export { type GradingManifest, type Replacement } from "./grading";
export { NotDefined, invokePart, type Definitions } from "./invoke";
export { feedbackCell, fmtScore, partRow, partView, type PartView } from "./result-view";
export { type ResultView, type SubmissionView } from "./submit-view";
export { isPlain, toPlain } from "./values";
// Lent to the grader: the helper's array type, its matrix backend switch and its chart renderer.
export type { NDArray } from "../ndarray";
export { withBackend } from "../matmul";
export { svgOf } from "../plot";

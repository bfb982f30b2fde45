// The course's sections: the registry (exercises/NN-name.ts), the exercise-set type the exercise
// data is written in, and expected values computed from solutions/ in the grader's process only.
// May import: notebooks/course/shared/.
export {
  methodPart,
  part,
  shownNumber,
  totalPoints,
  type ArgsOf,
  type Case,
  type CaseOf,
  type ExerciseSet,
  type Fn,
  type JudgeContext,
  type NotebookCell,
  type Part,
  type PartOf,
  type Prepend,
} from "./exercise-set";
export {
  expectedAnswer,
  expectedValue,
  findSection,
  learnerPlace,
  listSections,
  loadExerciseSet,
  loadSolution,
  projectRoot,
  publicExpectedValue,
  varyingSets,
} from "./expected";
export { sectionVersion } from "./version";
export {
  learnerVariant,
  variantSeed,
  variantSet,
  sameParams,
  type LearnerKey,
  type Params,
  type Variant,
  type Variants,
} from "./variants";
export { InputError } from "./errors";
export { normalEmail, parseRoster } from "./roster";
export { courseSecret, SECRET_FILE } from "./secret";

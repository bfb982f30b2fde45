// How the grader runs this helper, read by the learner's process (grader/isolation/child/modules.ts) instead
// of names and paths it would otherwise have to know. The helper is ordinary code there: its maths
// runs as in the notebook; what only makes sense in front of a learner is replaced.

/** What an export of the helper becomes while grading. */
export type Replacement =
  /** an async function that does nothing (plots, demonstrations: nothing to show) */
  | "skip"
  /** a `checker(section)` whose `check(name)` does nothing (public checks are the grader's job there) */
  | "pass"
  /** a progress display whose step() and done() do nothing */
  | "quiet";

export interface GradingManifest {
  /** The helper the notebooks import as "./course" (a path under notebooks/, without ".js"). */
  helper: string;
  /** Loaded before any learner code, in this order: the NDArray class, its products, the call path. */
  trusted: string[];
  /** Frozen once loaded: the call path the grader's calls go through. */
  frozen: string[];
  /** The module whose `invokePart` and `NotDefined` the grader calls parts with. */
  callPath: string;
  /** The class whose instances the grader reads through the course's own getter (its `data`). */
  ndarray: { module: string; name: string };
  /** Exports of the helper replaced while grading. */
  replaced: Record<string, Replacement>;
  /** Plain-JavaScript files (not compiled with the rest) that resolve to an empty dynamic import. */
  emptyImports: string[];
}

export const grading: GradingManifest = {
  helper: "course",
  trusted: ["course/ndarray", "course/matmul", "course/shared/values", "course/shared/invoke"],
  frozen: ["course/shared/values", "course/shared/invoke"],
  callPath: "course/shared/invoke",
  ndarray: { module: "course/ndarray", name: "NDArray" },
  replaced: {
    plot: "skip",
    plotFunctions: "skip",
    plotCostSurface: "skip",
    plotCosts: "skip",
    plotConfusion: "skip",
    plotDigits: "skip",
    demo: "skip",
    checker: "pass",
    progress: "quiet",
    submit: "skip",
  },
  emptyImports: ["course/esm-import"],
};

// Many notebooks at once: a pool of grading worker processes, the batch over files and folders, and
// the gradebook (CSV, JSON, feedback) written from its results.
// May import: pipeline/.
export { anonymousId, collectSubmissions, gradeBatch, rosterLearner, type LearnerResult } from "./batch";
export { feedbackHtml, feedbackMarkdown, gradebookCsv, writeOutputs } from "./gradebook";
export { createGradingPool, type GradingPool } from "./pool";
export { runWorker } from "./pool-worker";

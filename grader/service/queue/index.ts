// Grading on submission: the queue interface and its retry policy, the local queue (this process's
// pool) and BullMQ (workers on other machines), and how one stored submission is graded.
// May import: store/.
export { DEFAULT_KEEP_NOTEBOOKS, type GradingQueue, type SeedOf } from "./queue";
export { createLocalQueue } from "./local-queue";
export { GRADING_QUEUE, createBullQueue, liveWorkers, redisConnection } from "./queue-bullmq";
export { gradeSubmission } from "./grade-submission";
export { runGradingWorker } from "./worker";
export { percentiles, status } from "./status";

#!/usr/bin/env node
// The `course` command: runs the TypeScript sources through tsx, no build step.
require("tsx/cjs/api").register();
if (process.argv[2] === "__grade-worker") {
  // A grading worker of the pool (grader/batch/pool-worker.ts): grades files sent over IPC.
  require("../grader/batch/index.ts").runWorker();
} else {
  require("../grader/cli/index.ts")
    .main(process.argv)
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e) => {
      console.error(`course: internal error: ${e && e.stack ? e.stack : e}`);
      process.exitCode = 3;
    });
}

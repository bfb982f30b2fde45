// A worker of the grading pool (pool.ts), in its own process (`course __grade-worker`): grades the
// files the pool sends, one at a time, with this process's warm type-checker.
import { MachineBusy } from "../isolation";
import { closeTypeChecker, gradeNotebook, InputError, notebookDir, sharedTypeChecker } from "../pipeline";
import { killGroups, type ToWorker } from "./pool";

/**
 * The worker side: grade files on request, one at a time, reusing this process's type-checker. When
 * the pool goes away (its process was killed), the learner processes of the file under way are
 * killed and the worker exits.
 */
export function runWorker(): void {
  const learners: number[] = [];
  process.on("disconnect", () => {
    killGroups(learners);
    process.exit(0);
  });
  process.on("message", async (m: ToWorker) => {
    if (m.type === "stop") {
      closeTypeChecker();
      process.removeAllListeners("disconnect");
      process.disconnect();
      return;
    }
    learners.splice(0);
    try {
      const report = await gradeNotebook(m.file, {
        section: m.section,
        learner: m.learner,
        onSpawn: (pid) => {
          learners.push(pid);
          process.send!({ type: "spawned", pid });
        },
      });
      learners.splice(0);
      process.send!({ type: "graded", i: m.i, report });
    } catch (e) {
      learners.splice(0);
      process.send!({
        type: "graded",
        i: m.i,
        error: e instanceof Error ? e.message : String(e),
        inputError: e instanceof InputError,
        busy: e instanceof MachineBusy,
      });
    }
  });
  // The compiler is warmed once per worker, before its first file: the course helper compiled, the thread started.
  sharedTypeChecker(notebookDir)
    .warm()
    .catch(() => undefined) // tried again, and reported, with the first file
    .finally(() => process.send!({ type: "ready" }));
}

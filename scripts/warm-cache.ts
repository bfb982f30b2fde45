// `npm run setup`'s last step: each section's released notebook and its solution-filled one are
// type-checked once, so that the grader's cache (grader/cache, ~/.cache/course-grader) already
// holds the course helper and every given cell: a learner's notebook then costs the compiler only the
// cells the learner changed, and a notebook that changed none starts no compiler at all.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildNotebook, notebookJson } from "../grader/authoring";
import { createTypeChecker, extractCode, loadNotebook, notebookDir } from "../grader/pipeline";
import { listSections, loadExerciseSet } from "../grader/sections";

(async () => {
  const t0 = performance.now();
  const checker = createTypeChecker(notebookDir);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "warm-cache-"));
  let cells = 0;
  try {
    for (const s of listSections())
      for (const solved of [false, true]) {
        const file = path.join(dir, `${s}.ipynb`);
        fs.writeFileSync(file, notebookJson(buildNotebook(loadExerciseSet(s), solved)));
        const code = extractCode(loadNotebook(file));
        await checker.check(code);
        cells += code.length;
      }
  } finally {
    checker.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`setup: the grader's cache holds every section's given and solution cells (${cells} cells, ${s} s)`);
})().catch((e) => {
  // A cache that could not be filled only makes the first gradings slower.
  console.log(`setup: the grader's cache was not filled (${(e as Error).message}); the first gradings will fill it`);
});

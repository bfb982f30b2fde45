// `npm run bench` (part 2): CPU seconds to grade each section's solution-filled notebook — what the
// service pays per submission — measured on the whole machine (bench/cpu.ts), with the type-check
// cold (a new worker's first notebook) and warm (its cache holds the cells, as in a batch).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listSections, loadExerciseSet } from "../grader/expected";
import { gradeNotebook } from "../grader/grade";
import { buildNotebook, notebookJson } from "../grader/notebook-build";
import { closeTypeChecker } from "../grader/typecheck";
import { busyCpuSeconds } from "./cpu";

(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cpu-"));
  console.log("CPU seconds to grade each section's solution (whole machine; the grader and the learner's process)");
  console.log(`${"section".padEnd(20)}  cold type-check  warm (mean of 3)  wall, warm`);
  for (const s of listSections()) {
    const file = path.join(dir, `${s}.ipynb`);
    fs.writeFileSync(file, notebookJson(buildNotebook(loadExerciseSet(s), true)));
    closeTypeChecker();
    const c0 = busyCpuSeconds();
    await gradeNotebook(file);
    const cold = busyCpuSeconds() - c0;
    const c1 = busyCpuSeconds(),
      t1 = performance.now();
    for (let i = 0; i < 3; i++) await gradeNotebook(file);
    const warm = (busyCpuSeconds() - c1) / 3,
      wall = (performance.now() - t1) / 3000;
    console.log(
      `${s.padEnd(20)}  ${cold.toFixed(1).padStart(13)} s  ${warm.toFixed(1).padStart(14)} s  ${wall.toFixed(1).padStart(8)} s`,
    );
  }
  closeTypeChecker();
  fs.rmSync(dir, { recursive: true, force: true });
})();

// `npm run bench` (part 2): CPU seconds to grade each section's solution-filled notebook — what the
// service pays per submission — measured on the whole machine (bench/cpu.ts), with the type-check
// cold (a new worker's first notebook) and warm (its cache holds the cells, as in a batch).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listSections, loadExerciseSet } from "../grader/sections";
import { closeTypeChecker, createTypeChecker, extractCode, gradeNotebook, loadNotebook } from "../grader/pipeline";
import { buildNotebook, notebookJson } from "../grader/authoring";
import { busyCpuSeconds } from "./cpu";

/** CPU seconds of this process (every thread: the type-check's thread is one of them) while `f` runs. */
async function processCpu(f: () => Promise<unknown>): Promise<number> {
  const u = process.cpuUsage();
  await f();
  const d = process.cpuUsage(u);
  return (d.user + d.system) / 1e6;
}

/**
 * The type-check alone, which is the grader's cost (its limit counts its thread's CPU, not the learner's
 * budget): cold, a new checker (thread start, compiler warm-up, the course helper, then the cells);
 * warm, the same checker on a new learner's cells (each cell changed, so none comes from the cache).
 */
async function typeCheckCpu(dir: string) {
  console.log("CPU seconds of the type-check alone (the grader's process, every thread)");
  console.log(`${"section".padEnd(20)}  cold checker  warmed (helper)  warm, new cells`);
  for (const s of listSections()) {
    const file = path.join(dir, `${s}-tc.ipynb`);
    fs.writeFileSync(file, notebookJson(buildNotebook(loadExerciseSet(s), true)));
    const cells = extractCode(loadNotebook(file));
    const checker = createTypeChecker(path.join(__dirname, "..", "notebooks"));
    const warming = await processCpu(() => checker.warm());
    const cold = warming + (await processCpu(() => checker.check(cells)));
    const again = cells.map((c) => ({ ...c, source: `${c.source}\n// another learner` }));
    const warm = await processCpu(() => checker.check(again));
    checker.close();
    console.log(
      `${s.padEnd(20)}  ${cold.toFixed(1).padStart(10)} s  ${warming.toFixed(1).padStart(13)} s  ${warm.toFixed(1).padStart(13)} s`,
    );
  }
  console.log();
}

(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cpu-"));
  await typeCheckCpu(dir);
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

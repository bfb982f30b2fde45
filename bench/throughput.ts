// `npm run bench`: grading throughput of the full course on this machine, as ratios measured in
// the same run — 100 distinct submissions (solutions, stubs, half-done, of every section) graded with
// one worker and then with two; prints submissions per minute and the speed-up.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gradeBatch } from "../grader/batch";
import { listSections, loadExerciseSet } from "../grader/sections";
import type { NotebookJson } from "../grader/pipeline";
import { buildNotebook, notebookJson } from "../grader/authoring";
import { busyCpuSeconds } from "./cpu";
import { asLearner } from "./unique";

const N = Number(process.env.BENCH_SUBMISSIONS ?? 100);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
const kinds = listSections().flatMap((s) => {
  const filled = notebookJson(buildNotebook(loadExerciseSet(s), true));
  const stub = fs.readFileSync(path.join(__dirname, "..", "notebooks", `${s}.ipynb`), "utf8");
  // A partial submission: the second half of the parts still stubs.
  const half = JSON.parse(filled) as NotebookJson;
  const stubCells = (JSON.parse(stub) as NotebookJson).cells;
  half.cells = half.cells.map((c, i) => (i > half.cells.length / 2 ? stubCells[i] : c));
  return [filled, stub, JSON.stringify(half)];
});
const files = Array.from({ length: N }, (_, i) => {
  const f = path.join(dir, `learner-${String(i).padStart(3, "0")}.ipynb`);
  fs.writeFileSync(f, asLearner(kinds[i % kinds.length], i));
  return f;
});

async function run(jobs: number): Promise<{ seconds: number; cores: number }> {
  const t0 = Date.now();
  const cpu0 = busyCpuSeconds();
  let last = 0;
  await gradeBatch(files, {
    jobs,
    onProgress: (done, total) => {
      if (done - last >= 10 || done === total) {
        last = done;
        process.stderr.write(`  ${jobs} worker${jobs > 1 ? "s" : ""}: ${done}/${total}\n`);
      }
    },
  });
  const seconds = (Date.now() - t0) / 1000;
  return { seconds, cores: (busyCpuSeconds() - cpu0) / seconds };
}

(async () => {
  console.log(`${N} submissions over ${listSections().length} sections; ${os.availableParallelism()} cores`);
  const one = await run(1);
  const two = await run(2);
  const line = (label: string, r: { seconds: number; cores: number }) =>
    console.log(
      `${label} ${r.seconds.toFixed(1)} s, ${((N / r.seconds) * 60).toFixed(1)} submissions/min, ${r.cores.toFixed(2)} cores busy`,
    );
  line("1 worker: ", one);
  line("2 workers:", two);
  console.log(
    `speed-up 1 → 2 workers: ${(one.seconds / two.seconds).toFixed(2)}× (bounded by the cores one worker leaves idle)`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
})();

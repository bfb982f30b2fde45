// `npm run bench`: grading across machines, measured on this one — a real redis-server, one
// `course serve --redis` and 1, 2 or 3 `course worker --jobs 1` processes. First the cost of one
// submission per section on a warm worker (CPU seconds of the whole machine, and wall seconds: what
// docs/deploy.md sizes a deployment from), then throughput with 1, 2 and 3 workers on 30 mixed
// submissions. Every notebook is made unique (as a class's are), so no type-check is cached.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listSections, loadExerciseSet } from "../grader/sections";
import { buildNotebook, notebookJson } from "../grader/authoring";
import {
  addLearners,
  graded,
  killAll,
  startService,
  startWorker,
  submit,
  type Creds,
  type Service,
  type Worker,
} from "../test/service/harness";
import { startRedis } from "../test/service/servers";
import { busyCpuSeconds } from "./cpu";
import { asLearner } from "./unique";

const sections = listSections();
const solutions = new Map(sections.map((s) => [s, notebookJson(buildNotebook(loadExerciseSet(s), true))]));
const unique = (section: string) => asLearner(solutions.get(section)!);

async function gradeAll(svc: Service, learners: Creds[], picks: string[]): Promise<void> {
  const sent = await Promise.all(
    picks.map(async (section, i) => {
      const r = await submit(svc, learners[i % learners.length], section, unique(section));
      if (r.status !== 202) throw new Error(`${r.status} ${r.text}`);
      return { id: r.body.id as string, learner: learners[i % learners.length] };
    }),
  );
  for (const s of sent) {
    const g = await graded(svc, s.learner, s.id, 1_800_000);
    if (g.result?.score !== 100) throw new Error(`expected 100: ${JSON.stringify(g.result ?? g)}`);
  }
}

(async () => {
  const redis = await startRedis();
  const svc = await startService({
    args: ["--redis", redis.url, "--per-window", "100000", "--max-queue", "100000", "--max-pending", "100000"],
  });
  const learners = await addLearners(
    svc.data,
    Array.from({ length: 10 }, (_, i) => ({ email: `b${i}@example.org`, name: `B ${i}` })),
  );
  const workers: Worker[] = [];
  const scale = async (n: number) => {
    while (workers.length > n) await workers.pop()!.stop();
    while (workers.length < n) workers.push(await startWorker(redis.url, ["--jobs", "1"]));
    await gradeAll(
      svc,
      learners,
      Array.from({ length: n }, () => sections[0]),
    ); // each new worker's compiler started
  };
  try {
    console.log(`grading across machines on this one: ${os.availableParallelism()} cores, Redis ${redis.url}`);
    await scale(1);
    console.log("cost of one submission on a warm worker (mean of 4 unique solutions; whole-machine CPU)");
    const costs: Record<string, number> = {};
    for (const s of sections) {
      const c0 = busyCpuSeconds(),
        t0 = performance.now();
      await gradeAll(svc, learners, [s, s, s, s]);
      costs[s] = (busyCpuSeconds() - c0) / 4;
      console.log(
        `  ${s.padEnd(20)} ${costs[s].toFixed(1).padStart(5)} CPU s  ${((performance.now() - t0) / 4000).toFixed(1).padStart(5)} s wall`,
      );
    }
    const mixed = Array.from({ length: 30 }, (_, i) => sections[i % sections.length]);
    const rows: [number, number, number][] = [];
    for (const n of [1, 2, 3]) {
      await scale(n);
      const c0 = busyCpuSeconds(),
        t0 = performance.now();
      await gradeAll(svc, learners, mixed);
      const seconds = (performance.now() - t0) / 1000;
      rows.push([n, seconds, (busyCpuSeconds() - c0) / seconds]);
    }
    console.log(`throughput, ${mixed.length} submissions (every section alike):`);
    for (const [n, s, cores] of rows)
      console.log(
        `  ${n} worker${n > 1 ? "s" : " "}  ${s.toFixed(1).padStart(6)} s  ${((mixed.length / s) * 60).toFixed(1).padStart(5)} submissions/min  ${cores.toFixed(2)} cores busy  ×${(rows[0][1] / s).toFixed(2)}`,
      );
    fs.writeFileSync(path.join(os.tmpdir(), "course-bench-distributed.json"), JSON.stringify({ costs, rows }));
  } finally {
    for (const w of workers) await w.stop();
    await svc.stop();
    await redis.stop();
    killAll();
  }
})().catch((e) => {
  console.error(e);
  killAll();
  process.exit(1);
});

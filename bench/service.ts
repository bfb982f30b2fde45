// `npm run bench`: the grading service on this machine (`course serve`, 2 grading workers) — how many
// submissions it accepts per second (stored before each 202, while it grades), and the time from
// submit to result for sections 01 and 05 when it is idle and when 20 submissions are queued ahead.
import * as fs from "fs";
import * as path from "path";
import { loadExerciseSet } from "../grader/sections";
import { buildNotebook, notebookJson } from "../grader/authoring";
import { asLearner } from "./unique";
import { addLearners, graded, killAll, startService, submit, type Creds, type Service } from "../test/service/harness";

const ACCEPT = Number(process.env.BENCH_ACCEPT ?? 300);
const filled = (s: string) => asLearner(notebookJson(buildNotebook(loadExerciseSet(s), true)));
const stub = (s: string) => asLearner(fs.readFileSync(path.join(__dirname, "..", "notebooks", `${s}.ipynb`), "utf8"));
const S1 = "01-single-unit-gd",
  S5 = "05-mnist";

async function acceptRate(): Promise<number> {
  const svc = await startService({
    args: ["--jobs", "1", "--max-queue", "100000", "--per-window", "100000", "--max-pending", "100000"],
  });
  try {
    const learners = await addLearners(
      svc.data,
      Array.from({ length: 20 }, (_, i) => ({ email: `rate${i}@example.org`, name: `Rate ${i}` })),
    );
    const body = stub(S1);
    const t0 = process.hrtime.bigint();
    let next = 0;
    // 8 clients at a time, each sending its next notebook as soon as the last one is accepted.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < ACCEPT) {
          const i = next++;
          const r = await submit(svc, learners[i % learners.length], S1, body);
          if (r.status !== 202) throw new Error(`submission ${i}: ${r.status} ${r.text}`);
        }
      }),
    );
    return ACCEPT / (Number(process.hrtime.bigint() - t0) / 1e9);
  } finally {
    await svc.crash(); // its queue of gradings is not the measure: stop at once
    killAll();
  }
}

async function timeToResult(svc: Service, c: Creds, section: string): Promise<number> {
  const t0 = Date.now();
  const r = await submit(svc, c, section, filled(section));
  const g = await graded(svc, c, r.body.id, 1_800_000);
  if (g.result?.score !== 100) throw new Error(`${section}: expected 100, got ${JSON.stringify(g.result ?? g)}`);
  return (Date.now() - t0) / 1000;
}

(async () => {
  const rate = await acceptRate();
  console.log(
    `service: ${rate.toFixed(0)} submissions accepted per second (${ACCEPT} sent by 8 clients, 1 worker grading meanwhile)`,
  );

  const svc = await startService({
    args: ["--jobs", "2", "--max-queue", "1000", "--per-window", "1000", "--max-pending", "1000"],
  });
  try {
    const [me, ...others] = await addLearners(
      svc.data,
      Array.from({ length: 21 }, (_, i) => ({ email: `t${i}@example.org`, name: `T ${i}` })),
    );
    // Both workers warm (their type-checkers started): what a running service is like.
    await Promise.all([timeToResult(svc, me, S1), timeToResult(svc, others[0], S1)]);
    const rows: [string, number, number][] = [];
    for (const section of [S1, S5]) {
      const idle = await timeToResult(svc, me, section);
      // 20 ahead: a mix of the course's sections as learners send them (stubs and solutions of 01–04).
      const ahead = others.map((o, i) => {
        const s = ["01-single-unit-gd", "02-admissions", "03-not-network", "04-relu-2-3-1"][i % 4];
        return submit(svc, o, s, i % 2 ? stub(s) : filled(s));
      });
      const sent = await Promise.all(ahead);
      const queued = await timeToResult(svc, me, section);
      await Promise.all(sent.map((r, i) => graded(svc, others[i], r.body.id, 1_800_000)));
      rows.push([section, idle, queued]);
    }
    console.log("service: seconds from submit to result (2 workers)\n  section              idle    20 queued ahead");
    for (const [s, idle, q] of rows)
      console.log(`  ${s.padEnd(18)} ${idle.toFixed(1).padStart(6)} ${q.toFixed(1).padStart(10)}`);
  } finally {
    await svc.stop();
    killAll();
  }
})().catch((e) => {
  console.error(e);
  killAll();
  process.exit(1);
});

// Back-pressure on BullMQ: each worker takes at most its --jobs, and past --max-queue the server
// answers 429. When the grader itself fails on a submission (its worker process dies on it, again and again), the
// submission is retried with backoff a bounded number of times, then shown as failed — to the learner
// as "not your fault", to the instructor in the status — and never silently dropped; other
// submissions are graded meanwhile. On this machine's queue and on BullMQ alike. The grading
// worker here is the pool's fake (test/fakes/grade-worker.js), which dies on "crash-the-grader".
import * as path from "path";
import { addLearners, bearer, call, graded, killAll, startService, startWorker, submit, type Service } from "./harness";
import { startRedis, type Redis } from "./servers";

const FAKE = { COURSE_POOL_WORKER: path.join(__dirname, "..", "fakes", "grade-worker.js") };
const S = "01-single-unit-gd";
const notebook = (text: string) =>
  JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", metadata: {}, source: [text] },
      { cell_type: "code", metadata: {}, execution_count: null, outputs: [], source: ["const x = 1;"] },
    ],
  });

let redis: Redis | undefined;
afterAll(async () => {
  await redis?.stop();
  killAll();
});

async function failsThenShows(svc: Service, workerLog: () => string) {
  const [l] = await addLearners(svc.data, [{ email: "f@example.org", name: "F" }]);
  const [bad, good] = await Promise.all([
    submit(svc, l, S, notebook("crash-the-grader")),
    submit(svc, l, S, notebook("an honest notebook")),
  ]);
  const [b, g] = await Promise.all([graded(svc, l, bad.body.id), graded(svc, l, good.body.id)]);
  expect(g).toMatchObject({ state: "graded", result: { score: 1, maxScore: 1 } });
  expect(b.state).toBe("failed");
  expect(b.failure).toMatch(/could not grade this submission \(not your fault\)/);
  expect(b.result).toBeUndefined();
  const status = (await call(`${svc.url}/api/status`, { headers: bearer(svc.key) })).body;
  expect(status.submissions.failed).toBe(1);
  expect(status.failed).toEqual([
    expect.objectContaining({ id: bad.body.id, failure: expect.stringMatching(/worker died while grading/) }),
  ]);
  // Three attempts in all, with a wait before each retry.
  expect(workerLog().split(`the grader failed on ${bad.body.id}`).length - 1).toBe(3);
}

test("on this machine's queue: retried with backoff, then failed, shown to learner and instructor", async () => {
  const svc = await startService({ args: ["--jobs", "1"], env: FAKE });
  try {
    await failsThenShows(svc, svc.log);
    expect(svc.log()).toMatch(
      /trying again in 2 s[\s\S]*trying again in 8 s[\s\S]*failed s_\S+ \(01-single-unit-gd\) after 3 attempts/,
    );
  } finally {
    await svc.stop();
  }
});

test("a submission the machine was too busy to grade fairly is graded again, then failed as the grader's — never stored as a score", async () => {
  const svc = await startService({ args: ["--jobs", "1"], env: FAKE });
  try {
    const [l] = await addLearners(svc.data, [{ email: "b@example.org", name: "B" }]);
    const busy = await submit(svc, l, S, notebook("busy-grader"));
    const b = await graded(svc, l, busy.body.id);
    expect(b.state).toBe("failed");
    expect(b.failure).toMatch(/could not grade this submission \(not your fault\)/);
    expect(b.result).toBeUndefined();
    expect(svc.log()).toMatch(
      /the grader failed on s_\S+ \(the machine was too busy to grade fairly[^)]*\); trying again in 2 s/,
    );
    const status = (await call(`${svc.url}/api/status`, { headers: bearer(svc.key) })).body;
    expect(status.failed).toEqual([
      expect.objectContaining({ id: busy.body.id, failure: expect.stringMatching(/too busy/) }),
    ]);
  } finally {
    await svc.stop();
  }
});

test("on BullMQ: the job is retried with backoff by the workers, then failed, and the server marks it failed", async () => {
  redis = await startRedis();
  const svc = await startService({ args: ["--redis", redis.url] });
  const faulty = await startWorker(redis.url, ["--jobs", "1"], FAKE);
  try {
    await failsThenShows(svc, faulty.log);
    expect(svc.log()).toMatch(/failed s_\S+ \(01-single-unit-gd\) after 3 attempts/);
  } finally {
    await faulty.stop();
    await svc.stop();
  }
});

test("on BullMQ, a worker takes at most --jobs at once, and past --max-queue submissions get 429", async () => {
  redis ??= await startRedis();
  const svc = await startService({ args: ["--redis", redis.url, "--max-queue", "3", "--max-pending", "10"] });
  const stuck = await startWorker(redis.url, ["--jobs", "1"], FAKE);
  try {
    const [l] = await addLearners(svc.data, [{ email: "q@example.org", name: "Q" }]);
    const sent = [];
    for (let i = 0; i < 4; i++) sent.push(await submit(svc, l, S, notebook(`hang-the-grader ${i}`)));
    expect(sent.map((r) => r.status)).toEqual([202, 202, 202, 429]);
    expect(sent[3].headers.get("retry-after")).toBe("60");
    // Once the worker has taken a job, it takes no other: one active, two waiting.
    let status = { active: 0 };
    for (let i = 0; i < 300 && status.active === 0; i++) {
      status = (await call(`${svc.url}/api/status`, { headers: bearer(svc.key) })).body.queue;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1000));
    status = (await call(`${svc.url}/api/status`, { headers: bearer(svc.key) })).body.queue;
    expect(status).toMatchObject({ kind: "bullmq", active: 1, waiting: 2, workers: 1, capacity: 1 });
  } finally {
    await stuck.kill();
    await svc.stop();
  }
});

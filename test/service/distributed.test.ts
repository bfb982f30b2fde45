// Grading across machines, for real on this one: a real redis-server (AOF) and PostgreSQL, two
// `course serve --redis --database` and three `course worker` processes. Faults are injected one per
// test — a worker killed mid-grade, a server killed mid-request, Redis restarted with jobs queued,
// PostgreSQL stopped for 5 s — and a soak of 200 mixed submissions; after each, every accepted
// submission has exactly one result in the store and the gradebook is what grading the same
// notebooks alone gives.
import { execFile, execFileSync } from "child_process";
import * as http from "http";
import * as path from "path";
import IORedis from "ioredis";
import pg from "pg";
import { closeTypeChecker, gradeNotebook } from "../../grader/pipeline";
import { timeScale } from "../../grader/isolation";
import { courseSecret, SECRET_FILE } from "../../grader/sections";
import { kinds, type Kind } from "./kinds";
import {
  addLearners,
  basic,
  bearer,
  call,
  graded,
  killAll,
  startService,
  startWorker,
  submit,
  tmpDir,
  type Creds,
  type Service,
  type Worker,
} from "./harness";
import { startPostgres, startRedis, type Postgres, type Redis } from "./servers";

let redis: Redis, postgres: Postgres, db: pg.Pool;
const servers: Service[] = [];
const workers: Worker[] = [];
/** Every worker started, killed ones included (their logs say what they graded). */
const everyWorker: Worker[] = [];
const startGrader = async () => {
  const w = await startWorker(redis.url, WORKER_ARGS);
  everyWorker.push(w);
  return w;
};
const keyFile = path.join(tmpDir("course-key-"), "instructor.key");
const WORKER_ARGS = ["--jobs", "1", "--lock-seconds", "4", "--stalled-check-seconds", "2"];
const serverArgs = () => [
  "--redis",
  redis.url,
  "--database",
  postgres.url,
  "--key-file",
  keyFile,
  "--per-window",
  "50",
  "--max-pending",
  "50",
];
/** What each kind of notebook gets when graded alone (in this process, as `course grade` does). */
const alone = new Map<string, number>();
/** The score a learner's submission of a kind should get: graded alone, for that learner when the kind's score depends on who sends it. */
async function expectedScore(kind: Kind, email: string): Promise<number> {
  if (!kind.byLearner) return alone.get(kind.name)!;
  const key = `${kind.name} by ${email}`;
  if (!alone.has(key)) {
    const learner = { id: email, secret: courseSecret(SECRET_FILE()).secret };
    alone.set(key, (await gradeNotebook(kind.file, { section: kind.section, learner })).score);
  }
  return alone.get(key)!;
}

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  db = new pg.Pool({ connectionString: postgres.url });
  db.on("error", () => undefined); // the PostgreSQL test stops it under the pool
  servers.push(await startService({ args: serverArgs() }));
  servers.push(await startService({ args: serverArgs() }));
  for (let i = 0; i < 3; i++) workers.push(await startGrader());
  for (const k of kinds) alone.set(k.name, (await gradeNotebook(k.file, { section: k.section })).score);
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await Promise.all(servers.map((s) => s.stop()));
  await db?.end();
  await redis?.stop();
  await postgres?.stop();
  killAll();
  closeTypeChecker();
});

let learnerCount = 0;
const newLearners = (n: number) =>
  addLearners(
    servers[0].data,
    Array.from({ length: n }, () => ({ email: `l${++learnerCount}@example.org`, name: `Learner ${learnerCount}` })),
    postgres.url,
  );

interface Sent {
  id: string;
  learner: Creds;
  kind: Kind;
}
/** Sends `kind[i]` for learner i % n, alternating between the servers that are up. */
async function send(learners: Creds[], picks: Kind[]): Promise<Sent[]> {
  const up = servers.filter((s) => s.proc.exitCode === null && s.proc.signalCode === null);
  return Promise.all(
    picks.map(async (kind, i) => {
      const learner = learners[i % learners.length];
      const r = await submit(up[i % up.length], learner, kind.section, kind.text);
      if (r.status !== 202) throw new Error(`${kind.name}: ${r.status} ${r.text}`);
      return { id: r.body.id as string, learner, kind };
    }),
  );
}

/** Every accepted submission graded, each with exactly one result row, each as graded alone; and the gradebook's best. */
async function expectGradedOnce(sent: Sent[], limitMs = 600_000): Promise<void> {
  const live = servers.find((s) => s.proc.exitCode === null && s.proc.signalCode === null)!;
  const results = await Promise.all(sent.map((s) => graded(live, s.learner, s.id, limitMs)));
  for (const [i, r] of results.entries())
    expect({ kind: sent[i].kind.name, score: r.result?.score }).toEqual({
      kind: sent[i].kind.name,
      score: await expectedScore(sent[i].kind, sent[i].learner.email),
    });
  const rows = (
    await db.query(
      `SELECT s.id, s.state, COUNT(r.submission_id) AS results FROM submissions s LEFT JOIN results r ON r.submission_id = s.id
       WHERE s.id = ANY($1) GROUP BY s.id, s.state`,
      [sent.map((s) => s.id)],
    )
  ).rows;
  expect(rows).toHaveLength(sent.length);
  for (const r of rows)
    expect({ id: r.id, state: r.state, results: Number(r.results) }).toEqual({ id: r.id, state: "graded", results: 1 });
  const book = (await call(`${live.url}/api/gradebook`, { headers: bearer(live.key) })).body.rows;
  for (const learner of new Set(sent.map((s) => s.learner)))
    for (const section of new Set(sent.filter((s) => s.learner === learner).map((s) => s.kind.section))) {
      const mine = sent.filter((s) => s.learner === learner && s.kind.section === section);
      const row = book.find(
        (b: { email: string; section: string }) => b.email === learner.email && b.section === section,
      );
      expect({ email: learner.email, section, attempts: row?.attempts, best: row?.best?.score }).toEqual({
        email: learner.email,
        section,
        attempts: mine.length,
        best: Math.max(...(await Promise.all(mine.map((m) => expectedScore(m.kind, learner.email))))),
      });
    }
}
const waitFor = async (what: string, ok: () => boolean, ms = 120_000) => {
  const end = Date.now() + ms * timeScale();
  while (!ok()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
/** Results offered again and kept once: a job graded twice, or one result reported to both servers. */
const resultsKeptOnce = () =>
  servers.reduce((n, s) => n + (s.log().match(/already graded, result kept/g) ?? []).length, 0);
/** Gradings beyond the first of each submission (a job graded again after its worker died). */
const regradings = (ids: string[]) =>
  ids.reduce(
    (n, id) => n + Math.max(0, everyWorker.reduce((k, w) => k + w.log().split(`grading ${id} `).length - 1, 0) - 1),
    0,
  );
const pick = (names: string[]) => names.map((n) => kinds.find((k) => k.name === n)!);

test("a worker killed mid-grade: BullMQ finds the stalled job and another worker grades it; one result stored", async () => {
  const learners = await newLearners(3);
  const sent = await send(
    learners,
    pick(["01 filled", "01 stub", "01 sigmoidPrime wrong", "04 filled", "04 relu wrong", "01 filled"]),
  );
  const ids = new Set(sent.map((s) => s.id));
  let victim: Worker | undefined, jobId: string | undefined;
  await waitFor("a worker taking one of the jobs", () => {
    for (const w of workers) {
      const m = /grading (s_[\w-]+)/.exec(w.log());
      if (m && ids.has(m[1])) [victim, jobId] = [w, m[1]];
    }
    return victim !== undefined;
  });
  await victim!.kill();
  workers.splice(workers.indexOf(victim!), 1);
  workers.push(await startGrader());
  await expectGradedOnce(sent);
  const regraded = workers.filter((w) => w.log().includes(`grading ${jobId}`));
  expect(regraded.length).toBeGreaterThanOrEqual(1);
  process.stdout.write(
    `killed worker: ${jobId} graded again by another worker; ${regradings(sent.map((s) => s.id))} grading(s) repeated, one result each\n`,
  );
});

test("a server killed mid-request: the learner sends again to the other; what it had accepted is graded, once", async () => {
  const [a, b] = servers;
  const learners = await newLearners(2);
  const before = await send(
    learners,
    pick(["01 filled", "01 stub", "04 filled"]).map((k) => k),
  ).then((s) => s);
  // Half of a notebook on its way to server A when A dies.
  const body = Buffer.from(kinds[0].text);
  const u = new URL(`${a.url}/api/submissions?section=${kinds[0].section}`);
  const broken = new Promise<string>((resolve) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: "POST",
        headers: { ...basic(learners[0]), "Content-Length": String(body.length) },
      },
      (res) => resolve(`answered ${res.statusCode}`),
    );
    req.on("error", (e) => resolve(`failed: ${e.message}`));
    req.write(body.subarray(0, body.length >> 1));
  });
  await new Promise((r) => setTimeout(r, 300));
  await a.crash();
  expect(await broken).toMatch(/failed: (socket hang up|read ECONNRESET)/);
  const again = await submit(b, learners[0], kinds[0].section, kinds[0].text);
  expect(again.status).toBe(202);
  const sent = [...before, { id: again.body.id as string, learner: learners[0], kind: kinds[0] }];
  await expectGradedOnce(sent);
  // The half-sent request stored nothing: the learner has exactly what was accepted.
  const mine = await call(`${b.url}/api/submissions`, { headers: basic(learners[0]) });
  expect(mine.body.submissions.map((s: { id: string }) => s.id).sort()).toEqual(
    sent
      .filter((s) => s.learner === learners[0])
      .map((s) => s.id)
      .sort(),
  );
  servers[0] = await startService({ data: a.data, args: serverArgs() });
});

test("Redis restarted with jobs queued: its append-only file keeps them, workers and servers reconnect, each graded once", async () => {
  const learners = await newLearners(3);
  const sent = await send(
    learners,
    pick([
      "01 filled",
      "01 stub",
      "01 sigmoidPrime wrong",
      "04 filled",
      "04 relu wrong",
      "01 filled",
      "01 stub",
      "04 filled",
      "01 epoch without 1/m",
    ]),
  );
  const counts = (await call(`${servers[0].url}/api/status`, { headers: bearer(servers[0].key) })).body.queue;
  expect(counts.waiting + counts.active).toBeGreaterThan(0);
  await redis.stop();
  await new Promise((r) => setTimeout(r, 1500));
  await redis.start();
  await expectGradedOnce(sent);
  process.stdout.write(
    `redis restart: ${counts.waiting} waiting and ${counts.active} active at the stop; all ${sent.length} graded, one result each (${regradings(sent.map((s) => s.id))} gradings repeated)\n`,
  );
});

test("PostgreSQL stopped for 5 s: the API answers 503 meanwhile, results wait in the queue, then each is stored once", async () => {
  const learners = await newLearners(2);
  const sent = await send(
    learners,
    pick(["01 filled", "01 stub", "04 filled", "01 sigmoidPrime wrong", "04 relu wrong", "01 filled"]),
  );
  await postgres.stop();
  const during = await call(`${servers[1].url}/api/submissions`, { headers: basic(learners[0]) });
  expect(during.status).toBe(503);
  expect(during.headers.get("retry-after")).toBe("5");
  expect(during.body.error).toMatch(/database is unavailable for a moment/);
  await new Promise((r) => setTimeout(r, 5000));
  await postgres.start();
  await expectGradedOnce(sent);
  const waited = new Set(
    servers.flatMap((s) => [...s.log().matchAll(/storing the result of (s_\S+) later/g)].map((m) => m[1])),
  );
  process.stdout.write(
    `postgres stop: ${waited.size} results waited in the queue for the database; all ${sent.length} stored once\n`,
  );
});

test("a regrade on the workers raises one score and lowers another (kept with --never-lower, then applied), surviving a worker killed midway", async () => {
  const learners = await newLearners(3);
  const sent = await send(learners, pick(["01 filled", "01 epoch without 1/m", "01 filled"]));
  await expectGradedOnce(sent);
  // An older version of section 01, played by the store: the first learner's sigmoid failed, the second's epoch passed.
  const plant = async (id: string, part: string, full: boolean) => {
    const { report } = (await db.query("SELECT report FROM results WHERE submission_id = $1", [id])).rows[0];
    const r = JSON.parse(report);
    const p = r.parts.find((x: { name: string }) => x.name === part);
    p.points = full ? p.maxPoints : 0;
    r.score = r.parts.reduce((n: number, x: { points: number }) => n + x.points, 0);
    await db.query("UPDATE results SET report = $1, score = $2 WHERE submission_id = $3", [
      JSON.stringify(r),
      r.score,
      id,
    ]);
    return r.score as number;
  };
  const [raised, lowered] = [
    await plant(sent[0].id, "sigmoid", false),
    await plant(sent[1].id, "gradientDescentEpoch", true),
  ];
  const real = sent.map((x) => alone.get(x.kind.name)!);
  expect(raised).toBeLessThan(real[0]);
  expect(lowered).toBeGreaterThan(real[1]);
  const regrade = (...extra: string[]) =>
    new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [
          path.join(__dirname, "..", "..", "bin", "course.js"),
          ...["regrade", "01-single-unit-gd", "--data", servers[1].data, "--database", postgres.url, "--which", "all"],
          ...["--learners", learners.map((l) => l.email).join(","), ...extra],
        ],
        { encoding: "utf8" },
        (e, out, err) => (e ? reject(new Error(`${e.message}\n${err}`)) : resolve(out)),
      ),
    );
  // First, scores never fall: a worker is killed while it regrades one of them.
  const first = regrade("--never-lower", "--message", "the sigmoid's hidden case was wrong");
  let victim: Worker | undefined;
  await waitFor("a worker taking one of the regrade's jobs", () => {
    victim = workers.find((w) => sent.some((x) => w.log().includes(`grading ${x.id} (01-single-unit-gd, regrade g_`)));
    return victim !== undefined;
  });
  await victim!.kill();
  workers.splice(workers.indexOf(victim!), 1);
  workers.push(await startGrader());
  const report = await first;
  const id = /^regrade (g_\S+): 3 submissions/.exec(report)![1];
  expect(report).toContain(`${sent[0].id}  ${raised} → ${real[0]}`);
  expect(report).toContain(`${sent[1].id}  ${lowered} → ${real[1]}  not applied (--never-lower)`);
  const current = async () =>
    (
      await db.query("SELECT submission_id, score FROM results WHERE submission_id = ANY($1)", [sent.map((x) => x.id)])
    ).rows.reduce(
      (m: Record<string, number>, r: { submission_id: string; score: number }) => ({
        ...m,
        [r.submission_id]: r.score,
      }),
      {},
    );
  expect(await current()).toEqual({ [sent[0].id]: real[0], [sent[1].id]: lowered, [sent[2].id]: real[2] });
  // Each submission regraded once: one outcome per item, one replaced result per applied item.
  const items = (await db.query("SELECT state, outcome FROM regrade_items WHERE regrade_id = $1", [id])).rows;
  expect(items.map((r: { state: string; outcome: string }) => `${r.state} ${r.outcome}`).sort()).toEqual([
    "done applied",
    "done applied",
    "done kept",
  ]);
  const history = (await db.query("SELECT submission_id FROM result_history WHERE replaced_by = $1", [id])).rows;
  expect(history.map((r: { submission_id: string }) => r.submission_id).sort()).toEqual(
    [sent[0].id, sent[2].id].sort(),
  );
  // Then scores may fall: the second learner's is lowered to what the section gives today.
  const second = await regrade("--message", "the epoch's tolerance was too loose");
  expect(second).toContain(`${sent[1].id}  ${lowered} → ${real[1]}`);
  expect(second).not.toContain("not applied");
  expect(await current()).toEqual({ [sent[0].id]: real[0], [sent[1].id]: real[1], [sent[2].id]: real[2] });
  const learner = await call(`${servers[0].url}/api/submissions/${sent[1].id}`, { headers: basic(sent[1].learner) });
  expect(learner.body.result.regraded).toEqual({ message: "the epoch's tolerance was too loose" });
  process.stdout.write(`regrade on BullMQ: a worker killed midway, each of 3 submissions regraded once\n`);
});

test("a soak of 200 submissions — good, broken and hostile, of three sections — from 20 learners: nothing lost", async () => {
  const learners = await newLearners(20);
  const picks = Array.from({ length: 200 }, (_, i) => kinds[i % kinds.length]);
  const t0 = Date.now();
  const sent = await send(learners, picks);
  await expectGradedOnce(sent, 1_200_000);
  // Redis holds no notebook once each result is stored, and a job carries the submission, not its bytes.
  const r = new IORedis(redis.url);
  try {
    const until = Date.now() + 60_000 * timeScale();
    while ((await r.keys("course:notebook:*")).length > 0 && Date.now() < until)
      await new Promise((done) => setTimeout(done, 200));
    expect(await r.keys("course:notebook:*")).toEqual([]);
    const job = JSON.parse((await r.hget(`bull:course-grading:${sent[0].id}`, "data")) ?? "{}");
    // Section 01's numbers vary per learner: its job carries the learner's seed for it, never the course's secret.
    expect(Object.keys(job).sort()).toEqual(["fileName", "id", "section", "seed"]);
    expect(job.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(job)).not.toContain(courseSecret(SECRET_FILE()).secret);
  } finally {
    r.disconnect();
  }
  const status = (await call(`${servers[0].url}/api/status`, { headers: bearer(servers[0].key) })).body;
  expect(status.queue).toMatchObject({ kind: "bullmq", waiting: 0, active: 0, workers: 3, capacity: 3 });
  // The same from the command line: the queue, the workers alive and the grading time per section.
  const cli = execFileSync(
    process.execPath,
    [path.join(__dirname, "..", "..", "bin", "course.js"), "status", "--redis", redis.url, "--database", postgres.url],
    { encoding: "utf8" },
  );
  expect(cli).toMatch(/^queue course-grading: 0 waiting, 0 active, 0 to retry, 0 failed, \d+ completed/m);
  expect(cli).toMatch(/^workers alive: 3 \(.*\); 3 gradings at once$/m);
  expect(cli).toMatch(/^ {2}01-single-unit-gd: p50 \d+\.\d s, p95 \d+\.\d s over the latest \d+$/m);
  process.stdout.write(
    `soak: 200 submissions (${kinds.length} kinds) graded in ${((Date.now() - t0) / 1000).toFixed(0)} s, one result each; ${regradings(sent.map((s) => s.id))} repeated gradings; over the suite ${resultsKeptOnce()} results offered twice (both servers hear each completion) were kept once\n`,
  );
});

// `course regrade` against the real `course serve` (its own queue and pool, SQLite). An edit of the
// exercise set is played by the store: the learners' results are set to what an older, wrong version
// of section 01 would have given (Ana's sigmoid failed by a bad hidden case, Bo's epoch passed by a
// loose tolerance), as stored results of that version — then the regrade grades their notebooks
// with the section as it is, and must raise Ana, lower Bo (or not, with --never-lower), and leave Cy.
import Database from "better-sqlite3";
import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { notebookJson } from "../../grader/authoring";
import { variants } from "../helpers";
import {
  addLearners,
  basic,
  bearer,
  call,
  graded,
  killAll,
  startService,
  submit,
  type Creds,
  type Service,
} from "./harness";

const S = "01-single-unit-gd";
const v = variants(S);
const filled = notebookJson(v.filledNotebook());
const noOneOverM = notebookJson(
  JSON.parse(
    require("fs").readFileSync(
      v.writeEdited("regrade-epoch.ipynb", "gradientDescentEpoch", ["learnrate / m", "learnrate"]),
      "utf8",
    ),
  ),
);
const run = promisify(execFile);
const course = async (...args: string[]) =>
  (await run(process.execPath, [path.join(__dirname, "..", "..", "bin", "course.js"), ...args], { encoding: "utf8" }))
    .stdout;

let svc: Service;
let ana: Creds, bo: Creds, cy: Creds;
const sub: Record<string, string> = {};
/** The scores section 01 gives as it is: what the regrade must bring back. */
const real: Record<string, number> = {};
beforeAll(async () => {
  svc = await startService({ args: ["--jobs", "1"] });
  [ana, bo, cy] = await addLearners(svc.data, [
    { email: "ana@example.org", name: "Ana" },
    { email: "bo@example.org", name: "Bo" },
    { email: "cy@example.org", name: "Cy" },
  ]);
  for (const [who, c, nb] of [
    ["ana", ana, filled],
    ["bo", bo, noOneOverM],
    ["cy", cy, filled],
  ] as const) {
    const r = await submit(svc, c, S, nb);
    expect(r.status).toBe(202);
    sub[who] = r.body.id;
    real[who] = (await graded(svc, c, r.body.id)).result.score;
  }
  expect(real.ana).toBe(100);
  expect(real.bo).toBeLessThan(100);
  // The older version's results: Ana's sigmoid part failed, Bo's epoch part passed.
  const db = new Database(path.join(svc.data, "course.sqlite"));
  const plant = (id: string, part: string, points: (p: { points: number; maxPoints: number }) => number) => {
    const { report } = db.prepare("SELECT report FROM results WHERE submission_id = ?").get(id) as { report: string };
    const r = JSON.parse(report);
    const p = r.parts.find((x: { name: string }) => x.name === part);
    p.points = points(p);
    r.score = r.parts.reduce((n: number, x: { points: number }) => n + x.points, 0);
    db.prepare("UPDATE results SET report = ?, score = ?, set_version = 'older' WHERE submission_id = ?").run(
      JSON.stringify(r),
      r.score,
      id,
    );
    return r.score as number;
  };
  real.anaOld = plant(sub.ana, "sigmoid", () => 0);
  real.boOld = plant(sub.bo, "gradientDescentEpoch", (p) => p.maxPoints);
  db.close();
  expect(real.anaOld).toBeLessThan(100);
  expect(real.boOld).toBeGreaterThan(real.bo);
}, 600_000);
afterAll(async () => {
  await svc?.stop();
  killAll();
});

const score = async (c: Creds, id: string) =>
  (await call(`${svc.url}/api/submissions/${id}`, { headers: basic(c) })).body.result;

test("--dry-run grades here and reports who would change, storing nothing", async () => {
  const out = await course("regrade", S, "--data", svc.data, "--dry-run", "--never-lower");
  expect(out).toMatch(/^dry run: grading 3 submissions/);
  expect(out).toContain("3 of 3 regraded: 2 changed, 1 unchanged");
  expect(out).toMatch(new RegExp(`ana@example.org +${sub.ana} +${real.anaOld} → 100 +\\(sigmoid 0 → \\d+\\)`));
  expect(out).toMatch(
    new RegExp(`bo@example.org +${sub.bo} +${real.boOld} → ${real.bo} +not applied \\(--never-lower\\)`),
  );
  expect(out).not.toContain("cy@example.org");
  expect((await score(ana, sub.ana)).score).toBe(real.anaOld);
  expect((await score(ana, sub.ana)).regraded).toBeUndefined();
});

test("a regrade that never lowers raises Ana, keeps Bo's score, and tells Ana why beside her new result", async () => {
  const message = "the sigmoid's hidden case had a wrong expected value";
  const out = await course("regrade", S, "--data", svc.data, "--never-lower", "--message", message);
  const id = /^regrade (g_\S+): 3 submissions of 01-single-unit-gd queued/.exec(out)?.[1];
  expect(id).toBeDefined();
  expect(out).toContain(`regrade ${id} of ${S} (each learner's best submission; scores never lowered): "${message}"`);
  expect(out).toMatch(new RegExp(`ana@example.org +${sub.ana} +${real.anaOld} → 100`));
  expect(out).toMatch(new RegExp(`bo@example.org +${sub.bo} +${real.boOld} → ${real.bo} +not applied`));
  const a = await score(ana, sub.ana);
  expect(a).toMatchObject({ score: 100, regraded: { message } });
  expect(a.exerciseSetVersion).not.toBe("older");
  expect((await score(bo, sub.bo)).score).toBe(real.boOld);
  expect((await score(cy, sub.cy)).score).toBe(100);
  // The report can be read again later.
  expect(await course("regrade-report", id!, "--data", svc.data)).toContain(`${real.anaOld} → 100`);
  // The gradebook follows the current results.
  const book = await call(`${svc.url}/api/gradebook`, { headers: bearer(svc.key) });
  const row = (who: string) =>
    book.body.rows.find((r: { email: string; section: string }) => r.email === who && r.section === S);
  expect(row("ana@example.org").best.score).toBe(100);
});

/** Waits until the regrade has written the submission's current result (the test's timeout stops a hang). */
async function regraded(c: Creds, id: string): Promise<any> {
  for (;;) {
    const r = await score(c, id);
    if (r.regraded) return r;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test("a regrade of one learner that may lower scores lowers Bo's; bad requests are refused in one sentence", async () => {
  const out = await course(
    "regrade",
    S,
    "--data",
    svc.data,
    "--learners",
    "bo@example.org",
    "--which",
    "all",
    "--message",
    "the epoch's tolerance was too loose",
    "--no-wait",
  );
  expect(out).toMatch(/^regrade g_\S+: 1 submission of 01-single-unit-gd queued/);
  expect(await regraded(bo, sub.bo)).toMatchObject({
    score: real.bo,
    regraded: { message: "the epoch's tolerance was too loose" },
  });
  for (const [args, problem] of [
    [["--learners", "zed@example.org", "--message", "x"], /--learners: zed@example.org is not in the roster/],
    [[], /--message: say why/],
    [["--which", "first", "--message", "x"], /--which: "first" is not one of best, last, all/],
  ] as const)
    await expect(course("regrade", S, "--data", svc.data, ...args)).rejects.toThrow(problem);
  await expect(course("regrade", "09-nothing", "--data", svc.data, "--dry-run")).rejects.toThrow(
    /there is no section "09-nothing"/,
  );
});

test("a learner's new submission is graded before the regrade's items that wait (one grading at a time here)", async () => {
  const out = await course("regrade", S, "--data", svc.data, "--which", "all", "--message", "once more", "--no-wait");
  const id = /^regrade (g_\S+): 3 submissions/.exec(out)?.[1];
  expect(id).toBeDefined();
  const db = new Database(path.join(svc.data, "course.sqlite"), { readonly: true });
  const count = (states: string) =>
    (
      db.prepare(`SELECT COUNT(*) AS n FROM regrade_items WHERE regrade_id = ? AND state IN (${states})`).get(id) as {
        n: number;
      }
    ).n;
  const finished = () =>
    db.prepare("SELECT finished_at AS at FROM regrade_items WHERE regrade_id = ? AND state = 'done'").all(id) as {
      at: number;
    }[];
  // Once the service has taken the regrade (its first item under way), the others wait in its queue.
  while (count("'grading', 'done'") === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  const r = await submit(svc, cy, S, filled);
  expect(r.status).toBe(202);
  // Queued before its 202: the items started by now (read after, so never fewer) may go first, no other.
  const started = count("'grading', 'done'");
  expect(started).toBeLessThan(3);
  const fresh = await graded(svc, cy, r.body.id);
  while (finished().length < 3) await new Promise((resolve) => setTimeout(resolve, 250));
  expect(finished().filter((f) => f.at < Date.parse(fresh.result.gradedAt)).length).toBeLessThanOrEqual(started);
  db.close();
});

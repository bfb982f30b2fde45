// Nothing accepted is lost: a service killed with SIGKILL while it grades leaves no grading process
// behind, and when it starts again it grades what was queued or half-graded, storing each result once.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { notebookJson } from "../../grader/authoring";
import { openStore } from "../../grader/service";
import { timeScale } from "../../grader/isolation";
import { variants } from "../helpers";
import { addLearners, graded, killAll, startService, submit } from "./harness";

const S = "01-single-unit-gd";
const v = variants(S);
const notebooks = {
  filled: notebookJson(v.filledNotebook()),
  stub: fs.readFileSync(path.join(__dirname, "..", "..", "notebooks", `${S}.ipynb`), "utf8"),
  broken: fs.readFileSync(
    v.writeEdited("restart-broken.ipynb", "sigmoidPrime", ["(1 - sigmoid(h))", "(1 + sigmoid(h))"]),
    "utf8",
  ),
};
afterAll(killAll);

/** Processes left in a process group (`pgrep -g`), none when it is empty. */
const inGroup = (pgid: number) => {
  try {
    return execFileSync("pgrep", ["-g", String(pgid)], { encoding: "utf8" })
      .trim()
      .split("\n")
      .filter(Boolean);
  } catch {
    return [];
  }
};

test("a service killed mid-grading grades again, at its next start, what it had accepted: each result stored once", async () => {
  const first = await startService({ args: ["--jobs", "1", "--max-pending", "10"] });
  const [learner] = await addLearners(first.data, [{ email: "ada@example.org", name: "Ada" }]);
  const sent = [];
  for (const kind of ["filled", "stub", "broken", "filled"] as const) {
    const r = await submit(first, learner, S, notebooks[kind]);
    expect(r.status).toBe(202);
    sent.push({ kind, id: r.body.id as string });
  }
  // Kill it while the first submission is being graded.
  const until = Date.now() + 120_000 * timeScale();
  for (;;) {
    const s = await (await fetch(`${first.url}/api/submissions/${sent[0].id}`, { headers: authOf(learner) })).json();
    if (s.state === "grading") break;
    if (s.state === "graded") throw new Error("graded before the kill: the test needs it in progress");
    if (Date.now() > until) throw new Error(`never started grading:\n${first.log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await first.crash();

  // Its grading workers notice the pool is gone and exit, taking their learner processes with them.
  const gone = Date.now() + 30_000 * timeScale();
  while (inGroup(first.proc.pid!).length && Date.now() < gone) await new Promise((r) => setTimeout(r, 200));
  expect(inGroup(first.proc.pid!)).toEqual([]);

  // What the store held when it died: every accepted submission, none lost.
  const store = await openStore(first.data);
  const atCrash = await store.counts();
  await store.close();
  expect(atCrash.queued + atCrash.grading + atCrash.graded).toBe(4);
  expect(atCrash.grading).toBe(1);
  const unfinished = atCrash.queued + atCrash.grading;

  const second = await startService({ data: first.data, args: ["--jobs", "2"] });
  const results = await Promise.all(sent.map((s) => graded(second, learner, s.id)));
  expect(results.map((r) => r.result.score)).toEqual([100, 0, expect.any(Number), 100]);
  expect(results[2].result.score).toBeLessThan(100);
  expect(second.log()).toContain(`grading again ${unfinished} submission`);
  // Each submission graded to its one result: the second run graded exactly those left unfinished.
  const gradedLines = second.log().match(/^course serve: graded s_/gm) ?? [];
  expect(gradedLines).toHaveLength(unfinished);
  expect(second.log()).not.toContain("already graded");
  const after = await call(second, learner);
  expect(after.submissions.map((s: { state: string }) => s.state)).toEqual(["graded", "graded", "graded", "graded"]);
  await second.stop();
  const final = await openStore(first.data);
  const byId = new Map(
    (await final.submissionsOf((await final.learnerByEmail("ada@example.org"))!.id)).map((s) => [s.id, s]),
  );
  await final.close();
  // The submission being graded at the kill was started twice; its result is one row.
  expect(byId.get(sent[0].id)!.attempts).toBe(2);
});

test("SIGTERM just after a grading started, on a fresh server whose pool is still starting, finishes that grading before exiting", async () => {
  const svc = await startService({ args: ["--jobs", "1"] });
  const [learner] = await addLearners(svc.data, [{ email: "bo@example.org", name: "Bo" }]);
  const r = await submit(svc, learner, S, notebooks.filled);
  expect(r.status).toBe(202); // queued and started before the answer: the pool's worker is not up yet
  await svc.stop();
  expect(svc.log()).toContain("finishing the gradings under way");
  expect(svc.log()).not.toContain("the grading pool was closed");
  const store = await openStore(svc.data);
  const s = await store.submission(r.body.id);
  await store.close();
  expect([s?.state, s?.result?.score]).toEqual(["graded", 100]);
});

const authOf = (c: { email: string; token: string }) => ({
  Authorization: `Basic ${Buffer.from(`${c.email}:${c.token}`).toString("base64")}`,
});
const call = async (s: { url: string }, c: { email: string; token: string }) =>
  (await fetch(`${s.url}/api/submissions`, { headers: authOf(c) })).json();

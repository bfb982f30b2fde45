// The grading service's API against the real `course serve` on 127.0.0.1: what a learner and an
// instructor can do, what each is refused, and that every refusal costs nothing.
import * as http from "http";
import { listSections, loadExerciseSet, loadSolution, sectionVersion } from "../../grader/sections";
import { checkLeaks, notebookJson } from "../../grader/authoring";
import { variants } from "../helpers";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
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
const stub = fs.readFileSync(path.join(__dirname, "..", "..", "notebooks", `${S}.ipynb`), "utf8");
const brokenPrime = fs.readFileSync(
  v.writeEdited("svc-broken-prime.ipynb", "sigmoidPrime", ["(1 - sigmoid(h))", "(1 + sigmoid(h))"]),
  "utf8",
);
const hanging = fs.readFileSync(
  v.writeEdited("svc-hangs.ipynb", "gradientDescentEpoch", [
    "const m = features.length;",
    "while (true) {}\n  const m = features.length;",
  ]),
  "utf8",
);

let svc: Service;
let alice: Creds, bob: Creds, carol: Creds, dave: Creds;
beforeAll(async () => {
  svc = await startService({
    args: ["--jobs", "2", "--per-window", "4", "--window-minutes", "60", "--max-pending", "10"],
  });
  [alice, bob, carol, dave] = await addLearners(svc.data, [
    { email: "alice@example.org", name: "Alice" },
    { email: "bob@example.org", name: "Bob" },
    { email: "carol@example.org", name: "Carol" },
    { email: "dave@example.org", name: "Dave" },
  ]);
});
afterAll(async () => {
  await svc?.stop();
  killAll();
});

const leaks = (texts: string[]) =>
  checkLeaks(
    loadExerciseSet(S),
    loadSolution(S),
    texts.map((text, i) => ({ name: `response ${i}`, text })),
  );

test("a notebook is accepted at once with 202 and an id, then graded: the solution 100, the stub 0, each with the exercise set's version", async () => {
  const [a, b] = await Promise.all([submit(svc, alice, S, filled, "mine.ipynb"), submit(svc, bob, S, stub)]);
  expect([a.status, b.status]).toEqual([202, 202]);
  expect(a.body).toMatchObject({ section: S, file: "mine.ipynb", state: expect.stringMatching(/queued|grading/) });
  expect(a.headers.get("location")).toBe(`/api/submissions/${a.body.id}`);
  const [ga, gb] = await Promise.all([graded(svc, alice, a.body.id), graded(svc, bob, b.body.id)]);
  expect(ga.result).toMatchObject({ status: "ok", score: 100, maxScore: 100 });
  expect(ga.result.parts.map((p: { name: string }) => p.name)).toEqual(loadExerciseSet(S).parts.map((p) => p.name));
  // What counts in the section (no deadline here: the best raw score).
  expect(ga.best).toEqual({ id: a.body.id, score: 100, maxScore: 100, raw: 100, counts: "best" });
  expect(gb.result.score).toBe(0);
  expect(gb.result.parts[0].feedback.join(" ")).toMatch(/not implemented yet/);
  for (const g of [ga, gb]) expect(g.result.exerciseSetVersion).toBe(sectionVersion(S));
});

test("a wrong part loses its points with feedback that names the problem, and no response holds a hidden value", async () => {
  const a = await submit(svc, carol, S, brokenPrime);
  const g = await graded(svc, carol, a.body.id);
  const prime = g.result.parts.find((p: { name: string }) => p.name === "sigmoidPrime");
  expect(prime.status).not.toBe("passed");
  expect(prime.feedback.join(" ")).toMatch(/hint/i);
  expect(g.result.score).toBeLessThan(100);
  const mine = await call(`${svc.url}/api/submissions`, { headers: basic(carol) });
  expect(leaks([a.text, JSON.stringify(g), mine.text])).toEqual([]);
});

test("a part that spells its hidden inputs into record keys, a length or a thrown path gets nothing of them back", async () => {
  const WS = "function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[] {";
  const spelled = v.writeVariant("svc-spells.ipynb", {
    weightStep: `${WS}\n  if (weights.length > 0 && x[0] > -99) return { ["in=" + JSON.stringify([x, weights])]: 0 } as unknown as number[];\n  return [];\n}`,
    gradientDescentEpoch: `function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[] {\n  return new Array(Math.round(1000 * Math.abs(features[0][0])) + 1).fill(0);\n}`,
    sigmoidPrime: `function sigmoidPrime<T extends Tensor>(h: T): T {\n  throw new Error((globalThis as any).process.cwd() + " " + (globalThis as any).process.execPath + " " + new Error("at").stack);\n}`,
  });
  const a = await submit(svc, carol, S, fs.readFileSync(spelled));
  const g = await graded(svc, carol, a.body.id);
  const text = JSON.stringify(g);
  const hidden = (name: string) =>
    g.result.parts
      .find((p: { name: string }) => p.name === name)
      .feedback.filter((f: string) => f.startsWith("hidden case"));
  expect(hidden("weightStep").length).toBeGreaterThan(0);
  for (const line of [...hidden("weightStep"), ...hidden("gradientDescentEpoch"), ...hidden("sigmoidPrime")])
    expect(line).toMatch(/: (wrong shape: .*|threw Error)$/);
  // (Public cases show the learner's own keys and sizes: their inputs are in the notebook already.)
  for (const host of [path.join(__dirname, "..", ".."), os.tmpdir() + "/", path.dirname(process.execPath)])
    expect(text).not.toContain(host);
  expect(leaks([a.text, text])).toEqual([]);
});

test("a notebook sent to another section than its checker cell names is refused with a sentence that names the right one", async () => {
  const r = await submit(svc, dave, "02-admissions", filled);
  expect(r.status).toBe(400);
  expect(r.body.error).toBe(
    `this notebook is section ${S}'s (its checker("${S}") cell says so), not 02-admissions's: submit it to ${S}`,
  );
});

test("not a notebook is refused with the grader's one-line reason and is not stored", async () => {
  const before = (await call(`${svc.url}/api/submissions`, { headers: basic(dave) })).body.submissions.length;
  const r = await submit(svc, dave, S, "print('hello')", "homework.py");
  expect(r.status).toBe(400);
  expect(r.body.error).toMatch(/homework\.py: not a notebook — the file is not valid JSON/);
  const nbformat3 = await submit(svc, dave, S, JSON.stringify({ nbformat: 3, worksheets: [] }));
  expect(nbformat3.body.error).toMatch(/unsupported notebook format \(nbformat 3\)/);
  const after = (await call(`${svc.url}/api/submissions`, { headers: basic(dave) })).body.submissions.length;
  expect(after).toBe(before);
});

test("a notebook over the size limit gets 413 before its body is read", async () => {
  // Headers announcing 70 MB, and no body sent at all: the answer comes anyway.
  const u = new URL(`${svc.url}/api/submissions?section=${S}`);
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: "POST",
        headers: { ...basic(dave), "Content-Type": "application/x-ipynb+json", "Content-Length": String(70 * 1048576) },
      },
      (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on("error", reject);
    req.flushHeaders();
  });
  expect(answer.status).toBe(413);
  expect(JSON.parse(answer.body).error).toMatch(/larger than 64 MB: clear its outputs/);
});

test("a wrong token and an unknown email get the same 401 sentence", async () => {
  const wrong = await submit(svc, { ...alice, token: "not-the-token" }, S, filled);
  const unknown = await submit(svc, { ...alice, email: "mallory@example.org" }, S, filled);
  expect([wrong.status, unknown.status]).toEqual([401, 401]);
  expect(wrong.body.error).toBe(unknown.body.error);
  expect(wrong.body.error).toMatch(/email and token do not match/);
  const none = await call(`${svc.url}/api/submissions`);
  expect(none.status).toBe(401);
  expect(none.headers.get("www-authenticate")).toMatch(/Basic/);
});

test("a learner reads only their own submissions: another's id answers 404, as an id that does not exist", async () => {
  const a = await submit(svc, alice, S, filled);
  const theirs = await call(`${svc.url}/api/submissions/${a.body.id}`, { headers: basic(bob) });
  const nobody = await call(`${svc.url}/api/submissions/s_AAAAAAAAAAAAAAAA`, { headers: basic(bob) });
  expect([theirs.status, nobody.status]).toEqual([404, 404]);
  expect(theirs.text.replace(a.body.id, "ID")).toBe(nobody.text.replace("s_AAAAAAAAAAAAAAAA", "ID"));
  const list = await call(`${svc.url}/api/submissions`, { headers: basic(bob) });
  expect(list.text).not.toContain(a.body.id);
  await graded(svc, alice, a.body.id);
});

test("instructor routes need the instructor key: none is 401, a learner's token 403", async () => {
  for (const route of ["/api/gradebook", "/api/gradebook.csv", "/api/status"]) {
    expect((await call(`${svc.url}${route}`)).status).toBe(401);
    expect((await call(`${svc.url}${route}`, { headers: basic(alice) })).status).toBe(403);
    expect((await call(`${svc.url}${route}`, { headers: bearer("wrong-key-wrong-key") })).status).toBe(401);
    expect((await call(`${svc.url}${route}`, { headers: bearer(svc.key) })).status).toBe(200);
  }
});

test("requests are checked by schema: a malformed id or an unknown parameter is a 400 with a sentence", async () => {
  const badId = await call(`${svc.url}/api/submissions/../../etc`, { headers: basic(alice) });
  expect([400, 404]).toContain(badId.status);
  const r = await call(`${svc.url}/api/submissions/not-an-id`, { headers: basic(alice) });
  expect(r.status).toBe(400);
  expect(r.body.error).toMatch(/bad request/);
  const extra = await call(`${svc.url}/api/submissions?section=${S}&evil=1`, {
    method: "POST",
    headers: { ...basic(alice), "Content-Type": "application/x-ipynb+json" },
    body: filled,
  });
  expect(extra.status).toBe(400);
  const section = await submit(svc, alice, "99-nothing", filled);
  expect(section.status).toBe(400);
  expect(section.body.error).toMatch(/there is no section "99-nothing"; sections: 01-single-unit-gd/);
});

test("a closed section refuses submissions with 403 until the instructor opens it again", async () => {
  const close = await call(`${svc.url}/api/sections/${S}/close`, { method: "POST", headers: bearer(svc.key) });
  expect(close.body).toMatchObject({ section: S, open: false });
  const refused = await submit(svc, dave, S, filled);
  expect(refused.status).toBe(403);
  expect(refused.body.error).toBe(`section ${S} is closed: it takes no more submissions`);
  const sections = await call(`${svc.url}/api/sections`);
  expect(sections.body.sections.find((s: { name: string }) => s.name === S).open).toBe(false);
  await call(`${svc.url}/api/sections/${S}/open`, { method: "POST", headers: bearer(svc.key) });
  const accepted = await submit(svc, dave, S, filled);
  expect(accepted.status).toBe(202);
  await graded(svc, dave, accepted.body.id);
});

test("a learner over their rate gets 429 with Retry-After, and the refused submission is not stored", async () => {
  const [eve] = await addLearners(svc.data, [{ email: "eve@example.org", name: "Eve" }]);
  const answers = [];
  for (let i = 0; i < 5; i++) answers.push(await submit(svc, eve, S, stub));
  expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 429]);
  const last = answers[4];
  expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(3000);
  expect(last.body.error).toMatch(/submitted 4 times in the last 60 minutes.*try again in \d+ s/);
  const mine = await call(`${svc.url}/api/submissions`, { headers: basic(eve) });
  expect(mine.body.submissions).toHaveLength(4);
  for (const a of answers.slice(0, 4)) await graded(svc, eve, a.body.id);
});

test("a notebook that hangs costs only its own time limits: another learner's grading at the same time is unaffected", async () => {
  const [frank, grace] = await addLearners(svc.data, [
    { email: "frank@example.org", name: "Frank" },
    { email: "grace@example.org", name: "Grace" },
  ]);
  const [h, ok] = await Promise.all([submit(svc, frank, S, hanging), submit(svc, grace, S, filled)]);
  const [gh, gok] = await Promise.all([graded(svc, frank, h.body.id), graded(svc, grace, ok.body.id)]);
  expect(gok.result.score).toBe(100);
  expect(gh.result.status).toBe("timeout");
  expect(gh.result.parts.find((p: { name: string }) => p.name === "gradientDescentEpoch").status).toBe("timeout");
  expect(gh.result.score).toBe(70);
});

test("the gradebook keeps each learner's best score and counts their attempts, lists who never submitted; its CSV has the batch's columns", async () => {
  await addLearners(svc.data, [{ email: "ivan@example.org", name: "Ivan" }]);
  const book = await call(`${svc.url}/api/gradebook`, { headers: bearer(svc.key) });
  const ivan = book.body.rows.filter((r: { email: string }) => r.email === "ivan@example.org");
  expect(ivan.map((r: { section: string }) => r.section)).toEqual(listSections());
  for (const r of ivan) expect(r).toMatchObject({ attempts: 0, lastSubmission: null, best: null });
  const aliceRow = book.body.rows.find((r: { email: string }) => r.email === "alice@example.org");
  expect(aliceRow).toMatchObject({ section: S, best: { score: 100, maxScore: 100, status: "ok" } });
  expect(aliceRow.attempts).toBeGreaterThanOrEqual(2);
  const csv = await call(`${svc.url}/api/gradebook.csv`, { headers: bearer(svc.key) });
  expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
  const [header, ...lines] = csv.text.trim().split("\n");
  expect(header).toBe(
    `learner,file,section,status,total,max,${loadExerciseSet(S)
      .parts.map((p) => `${S}:${p.name}`)
      .join(",")},error,flags,final,late`,
  );
  expect(lines.find((l) => l.startsWith("alice@example.org,"))).toMatch(/,ok,100,100,15,15,20,20,30,/);
  expect(lines.find((l) => l.startsWith(`ivan@example.org,,${S},`))).toMatch(/,not-submitted,0,,.*attempts: 0/);
  const status = await call(`${svc.url}/api/status`, { headers: bearer(svc.key) });
  expect(status.body.queue).toMatchObject({ kind: "local", capacity: 2 });
  expect(status.body.gradingSeconds[S].n).toBeGreaterThan(3);
});

test("the queue has a limit: past it, submissions get 429 with Retry-After", async () => {
  const small = await startService({ args: ["--jobs", "1", "--max-queue", "1"] });
  try {
    const [h] = await addLearners(small.data, [{ email: "heidi@example.org", name: "Heidi" }]);
    const first = await submit(small, h, S, filled);
    const second = await submit(small, h, S, filled);
    expect([first.status, second.status]).toEqual([202, 429]);
    expect(second.headers.get("retry-after")).toBe("60");
    expect(second.body.error).toMatch(/grading queue is full \(1 submissions waiting\)/);
    await graded(small, h, first.body.id);
  } finally {
    await small.stop();
  }
});

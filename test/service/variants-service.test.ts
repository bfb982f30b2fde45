// Per-learner variants in the grading service (the real `course serve`): a learner downloads their
// own notebook of section 03 and its public checks from their page — the same `course release
// --roster` writes for them — and each submission is graded against its sender's variant: their own
// notebook scores 100, a classmate's copy loses the varied answers and is told so.
import { buildNotebook, notebookJson } from "../../grader/authoring";
import { courseSecret, learnerVariant, loadExerciseSet, SECRET_FILE, variantSet } from "../../grader/sections";
import { openStore } from "../../grader/service";
import { addLearners, bearer, call, graded, killAll, startService, submit, type Creds, type Service } from "./harness";

const S = "03-not-network";
const full = loadExerciseSet(S);
let svc: Service;
let ana: Creds, bo: Creds;
beforeAll(async () => {
  svc = await startService({ args: ["--jobs", "2"] });
  [ana, bo] = await addLearners(svc.data, [
    { email: "ana@example.org", name: "Ana" },
    { email: "bo@example.org", name: "Bo" },
  ]);
});
afterAll(async () => {
  await svc?.stop();
  killAll();
});

/** The variant `course release --roster` draws for a learner with this machine's secret (the service's too). */
const variantOf = (email: string) => learnerVariant(full, { id: email, secret: courseSecret(SECRET_FILE()).secret })!;

/** A signed-in learner's session cookie, through the sign-in form as a browser posts it. */
async function cookieOf(c: Creds): Promise<string> {
  const r = await fetch(`${svc.url}/signin`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" },
    body: new URLSearchParams({ email: c.email, token: c.token }).toString(),
  });
  expect(r.status).toBe(303);
  return r.headers.get("set-cookie")!.split(";")[0];
}

test("a learner's page offers their own notebook and its public checks: the ones `course release --roster` makes for them", async () => {
  const cookie = await cookieOf(ana);
  const v = variantOf(ana.email);
  const page = await call(`${svc.url}/`, { headers: { Cookie: cookie } });
  expect(page.text).toContain("Your own numbers");
  expect(page.text).toContain(`${S} (${full.variants!.describe(v.params)})`);
  const nb = await call(`${svc.url}/notebooks/${S}.ipynb`, { headers: { Cookie: cookie } });
  expect(nb.status).toBe(200);
  expect(nb.headers.get("content-disposition")).toBe(`attachment; filename="${S}.ipynb"`);
  expect(nb.text).toBe(notebookJson(buildNotebook(variantSet(full, v.params), false, v)));
  const checks = await call(`${svc.url}/notebooks/${S}/checks.json`, { headers: { Cookie: cookie } });
  expect(checks.headers.get("content-disposition")).toBe(`attachment; filename="${S}.${v.code}.json"`);
  expect(checks.body.parts.find((p: any) => p.name === "a1").cases[0].args.slice(0, 2)).toEqual([
    v.params.w,
    v.params.b,
  ]);
  // Signed out, there is nothing to download; a section that does not vary has no such route.
  expect((await call(`${svc.url}/notebooks/${S}.ipynb`, { redirect: "manual" })).status).toBe(303);
  expect((await call(`${svc.url}/notebooks/02-admissions.ipynb`, { headers: { Cookie: cookie } })).status).toBe(400);
});

test("each submission is graded against its sender's variant: Ana's own notebook scores 100; Bo handing in her notebook loses its varied answers and is told so", async () => {
  const v = variantOf(ana.email);
  const hers = notebookJson(buildNotebook(variantSet(full, v.params), true, v));
  const [mine, copy] = [await submit(svc, ana, S, hers), await submit(svc, bo, S, hers)];
  expect([mine.status, copy.status]).toEqual([202, 202]);
  expect((await graded(svc, ana, mine.body.id)).result.score).toBe(100);
  const bos = await graded(svc, bo, copy.body.id);
  expect(bos.result.score).toBeLessThan(100);
  const answer = bos.result.parts.find((p: any) => p.name === "answer_C0");
  expect(answer.score).toBe(0);
  expect(answer.feedback[0]).toMatch(/right for another variant's numbers, not for yours/);
  expect(JSON.stringify(bos)).not.toMatch(/ana/i);
});

test("the instructor sees each learner's own numbers on the learner's record", async () => {
  const store = await openStore(svc.data);
  const l = await store.learnerByEmail(ana.email);
  await store.close();
  const page = await call(`${svc.url}/instructor/learners/${l!.id}`, { headers: bearer(svc.key) });
  expect(page.status).toBe(200);
  expect(page.text).toContain(`${S}: ${full.variants!.describe(variantOf(ana.email).params)}`);
});

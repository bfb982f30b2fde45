// The similarity report over the service's stored notebooks, for the instructor only: each learner's
// submission that counts (or their last), compared; linked from the instructor's page.
import { copyOfBo, honest } from "../similarity/class";
import { notebookOf } from "../similarity/notebook";
import { addLearners, basic, bearer, call, graded, killAll, startService, submit, type Service } from "./harness";

const S = "01-single-unit-gd";
let svc: Service;

beforeAll(async () => {
  svc = await startService({ args: ["--jobs", "2"] });
  const [bo, ana, zed] = await addLearners(svc.data, [
    { email: "bo@example.org", name: "Bo" },
    { email: "ana@example.org", name: "Ana" },
    { email: "zed@example.org", name: "Zed" },
  ]);
  const sent = [
    { c: bo, text: notebookOf(honest.bo) },
    { c: ana, text: notebookOf(honest.ana) },
    { c: zed, text: notebookOf(copyOfBo) },
  ];
  const ids = await Promise.all(sent.map(async ({ c, text }) => (await submit(svc, c, S, text)).body.id as string));
  await Promise.all(ids.map((id, i) => graded(svc, sent[i].c, id)));
  // Zed's last submission is the stub: "which=last" compares that one.
  await submit(svc, zed, S, notebookOf({} as never));
});
afterAll(async () => {
  await svc?.stop();
  killAll();
});

const page = (query = "", headers: Record<string, string> = bearer(svc.key)) =>
  call(`${svc.url}/instructor/sections/${S}/similarity${query}`, { headers });

test("the instructor's report puts the copied pair first, over the submissions that count", async () => {
  const r = await page();
  expect(r.status).toBe(200);
  expect(r.text).toMatch(
    /<h3 id="pair-1">1\. (bo@example\.org — zed@example\.org|zed@example\.org — bo@example\.org): \d+ %/,
  );
  expect(r.text).not.toMatch(/ana@example\.org — |— ana@example\.org/); // Ana's honest work is in no pair listed
  expect(r.text).toContain(
    "Each learner&#39;s submission that counts (best or last, after the late policy); 0 of 3 learners",
  );
  // The instructor's page links to it.
  expect((await call(`${svc.url}/instructor`, { headers: bearer(svc.key) })).text).toContain(
    `href="/instructor/sections/${S}/similarity"`,
  );
});

test("with which=last each learner's last notebook is compared: Zed's last is the stub, with nothing of its own", async () => {
  const r = await page("?which=last&threshold=50");
  expect(r.status).toBe(200);
  expect(r.text).toMatch(/zed@example\.org: \d+ fingerprints of its own code/);
  expect(r.text).not.toContain('<h3 id="pair-1">');
});

test("a learner gets the sign-in page, not the report; a section that does not exist is refused", async () => {
  const learner = await page("", basic({ email: "ana@example.org", token: "x" }));
  expect(learner.text).not.toContain("Similarity of learners' code");
  expect(
    (await call(`${svc.url}/instructor/sections/99-nothing/similarity`, { headers: bearer(svc.key) })).status,
  ).toBe(400);
});

// `course serve` as an LTI 1.3 tool, against a platform of the tests' own (test/lti/platform.ts) on
// 127.0.0.1: registration, launches in Chromium (a learner, an instructor), every way a launch can be
// wrong (each refused in one sentence, nothing stored), the roster from NRPS, scores back through AGS
// after grading — also while the platform is down for a while.
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { Browser, Page } from "playwright-core";
import { notebookJson } from "../../grader/authoring";
import { timeScale } from "../../grader/isolation";
import { openStore, type Store } from "../../grader/service";
import { variants } from "../helpers";
import { startPlatform, type TestPlatform } from "../lti/platform";
import { launchChromium } from "./browser";
import {
  addLearners,
  basic,
  call,
  graded,
  killAll,
  startService,
  submit,
  tmpDir,
  type Creds,
  type Service,
} from "./harness";

const S = "01-single-unit-gd";
const filled = notebookJson(variants(S).filledNotebook());
const stub = fs.readFileSync(path.join(__dirname, "..", "..", "notebooks", `${S}.ipynb`), "utf8");
const root = path.join(__dirname, "..", "..");
const shots = tmpDir("course-lti-");

let platform: TestPlatform, svc: Service, browser: Browser, ana: Creds;

/** `course <args>`: its exit code, standard output and error. */
function course(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [path.join(root, "bin", "course.js"), ...args], { cwd: root }, (e, out, err) =>
      resolve({ code: e ? Number(e.code ?? 1) : 0, out, err }),
    ),
  );
}
async function withStore<T>(f: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(svc.data);
  try {
    return await f(store);
  } finally {
    await store.close();
  }
}
/** Polls `f` until it returns something (a hang guard, not a measure: scaled, generous). */
async function until<T>(what: string, f: () => Promise<T | undefined | false>, limitMs = 120_000): Promise<T> {
  const end = Date.now() + limitMs * timeScale();
  for (;;) {
    const got = await f();
    if (got) return got;
    if (Date.now() > end) throw new Error(`${what}: not after ${limitMs / 1000} s\n${svc.log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  platform = await startPlatform();
  svc = await startService({ args: ["--jobs", "1", "--lti-passback-seconds", "1"] });
  platform.setTool(svc.url);
  platform.users.push(
    { id: "u-ana", email: "ana@example.org", name: "Ana Lima", role: "learner" },
    { id: "u-bo", email: "bo@example.org", name: "Bo Chen", role: "learner" },
    { id: "u-cy", name: "Cy (no email shared)", role: "learner" },
    { id: "u-dee", email: "dee@example.org", name: "Dee (dropped)", role: "learner", status: "Inactive" },
    { id: "u-prof", email: "prof@example.org", name: "Prof Ng", role: "instructor" },
  );
  // An instructor made this line item by hand in the LMS before any score: the tool must find it.
  platform.lineItems.push({
    id: `${platform.url}/ags/${platform.context.id}/lineitems/900`,
    resourceId: S,
    label: "01 by hand",
    scoreMaximum: 100,
  });
  [ana] = await addLearners(svc.data, [{ email: "ana@example.org", name: "Ana" }]);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
  await platform?.close();
  killAll();
});

const register = (extra: string[] = []) =>
  course([
    "lti",
    "add-platform",
    "--data",
    svc.data,
    "--issuer",
    platform.issuer,
    "--client-id",
    platform.clientId,
    "--deployment-id",
    platform.deploymentId,
    "--auth-url",
    platform.authUrl,
    "--token-url",
    platform.tokenUrl,
    "--jwks-url",
    platform.jwksUrl,
    ...extra,
  ]);

test("the platform is registered by `course lti add-platform`, a second deployment is added to it, and a bad URL is refused in one sentence", async () => {
  const first = await register();
  expect(first).toMatchObject({ code: 0 });
  const again = await register(["--deployment-id", "deployment-2"]);
  expect(again.out).toMatch(/deployments deployment-1, deployment-2/);
  const listed = await course(["lti", "platforms", "--data", svc.data]);
  expect(listed.out.trim().split("\n")).toHaveLength(1);
  const bad = await course([
    "lti",
    "add-platform",
    "--data",
    svc.data,
    "--issuer",
    "x",
    "--client-id",
    "y",
    "--deployment-id",
    "d",
    "--auth-url",
    "not a url",
    "--token-url",
    platform.tokenUrl,
    "--jwks-url",
    platform.jwksUrl,
  ]);
  expect(bad.code).not.toBe(0);
  expect(bad.err.trim()).toMatch(/^.*--auth-url "not a url" is not a URL[^\n]*$/);
});

test("the tool's key pair is made once (private key mode 600), its public half served at /lti/jwks and shown on /lti/config", async () => {
  const file = path.join(svc.data, "lti-tool.pem");
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  const jwks = await call(`${svc.url}/lti/jwks`);
  expect(jwks.body.keys).toHaveLength(1);
  expect(jwks.body.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
  expect(jwks.body.keys[0].d).toBeUndefined(); // the public half only
  const config = await call(`${svc.url}/lti/config`);
  for (const p of ["/lti/login", "/lti/launch", "/lti/jwks"]) expect(config.text).toContain(`${svc.url}${p}`);
  expect(config.text).toContain("BEGIN PUBLIC KEY");
  const before = fs.readFileSync(file, "utf8");
  await course(["lti", "platforms", "--data", svc.data]);
  expect(fs.readFileSync(file, "utf8")).toBe(before);
});

/** A login initiation as the platform's page sends it: the state cookie, the state and nonce the tool asks for. */
async function login(user: string) {
  const r = await fetch(`${svc.url}/lti/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      iss: platform.issuer,
      login_hint: user,
      target_link_uri: `${svc.url}/lti/launch?section=${S}`,
      client_id: platform.clientId,
    }).toString(),
  });
  expect(r.status).toBe(302);
  const auth = new URL(r.headers.get("location")!);
  expect(auth.origin + auth.pathname).toBe(platform.authUrl);
  // One Set-Cookie here (the state's): its name=value is what the browser would send back.
  const cookie = (r.headers.get("set-cookie") ?? "").split(";")[0];
  return { cookie, state: auth.searchParams.get("state")!, nonce: auth.searchParams.get("nonce")! };
}
const launch = (l: { cookie: string; state: string }, idToken: string) =>
  call(`${svc.url}/lti/launch`, {
    method: "POST",
    headers: { Cookie: l.cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ id_token: idToken, state: l.state }).toString(),
  });
/** The sentence of a refusal page. */
const problem = (text: string) =>
  (/<p class="problem">([^<]*)<\/p>/.exec(text)?.[1] ?? text).replace(/&(#\d+|quot|amp|lt|gt);/g, (_, e: string) =>
    e.startsWith("#") ? String.fromCharCode(Number(e.slice(1))) : { quot: '"', amp: "&", lt: "<", gt: ">" }[e]!,
  );

test("every launch that is not exactly right is refused with one sentence, and nothing is stored", async () => {
  const cases: [string, (l: { nonce: string; state: string; cookie: string }) => Promise<string>, RegExp, number][] = [
    [
      "a signature by another key",
      async (l) => platform.idToken("u-bo", l.nonce, S, { signWith: await platform.forgedKey() }),
      /signature does not match the keys of/,
      401,
    ],
    [
      "another audience",
      (l) => platform.idToken("u-bo", l.nonce, S, { claims: (c) => void (c.aud = "another-tool") }),
      /is for another-tool, not for this tool's client id/,
      401,
    ],
    [
      "an expired token",
      (l) =>
        platform.idToken("u-bo", l.nonce, S, {
          claims: (c) => {
            c.iat = Math.floor(Date.now() / 1000) - 900;
            c.exp = c.iat + 300;
          },
        }),
      /has expired/,
      401,
    ],
    [
      "an unknown deployment",
      (l) =>
        platform.idToken("u-bo", l.nonce, S, {
          claims: (c) => void (c["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] = "deployment-9"),
        }),
      /deployment "deployment-9" is not registered/,
      403,
    ],
    [
      "another login's nonce",
      (l) => platform.idToken("u-bo", `${l.nonce}x`, S),
      /nonce is not the one this browser's login sent/,
      401,
    ],
    [
      "a deep-linking message",
      (l) =>
        platform.idToken("u-bo", l.nonce, S, {
          claims: (c) => void (c["https://purl.imsglobal.org/spec/lti/claim/message_type"] = "LtiDeepLinkingRequest"),
        }),
      /is not a resource link launch/,
      400,
    ],
    [
      "LTI 1.1's version",
      (l) =>
        platform.idToken("u-bo", l.nonce, S, {
          claims: (c) => void (c["https://purl.imsglobal.org/spec/lti/claim/version"] = "1.1"),
        }),
      /LTI version "1.1" is not 1.3.0/,
      400,
    ],
  ];
  const learnersBefore = await withStore((s) => s.learners());
  for (const [what, token, why, code] of cases) {
    const l = await login("u-bo");
    const r = await launch(l, await token(l));
    expect({ what, code: r.status, why: problem(r.text) }).toEqual({ what, code, why: expect.stringMatching(why) });
    expect(problem(r.text)).toMatch(/^LTI launch refused: [^\n]*$/);
  }
  // The state another browser's login got, without that browser's cookie.
  const mine = await login("u-bo");
  const theirs = await login("u-bo");
  const r = await launch({ cookie: mine.cookie, state: theirs.state }, await platform.idToken("u-bo", theirs.nonce, S));
  expect(r.status).toBe(401);
  expect(problem(r.text)).toMatch(/did not start in this browser/);
  await withStore(async (s) => {
    expect(await s.lti.contexts()).toEqual([]);
    expect(await s.learners()).toEqual(learnersBefore);
  });
});

test("a launch replayed with the same id_token is refused: its nonce is used once", async () => {
  const l = await login("u-ana");
  const token = await platform.idToken("u-ana", l.nonce, S);
  const first = await launch(l, token);
  expect(first.status).toBe(200);
  expect(first.text).toContain("Use the token your instructor sent you"); // on the roster before: no new token
  const again = await launch(l, token);
  expect(again.status).toBe(401);
  expect(problem(again.text)).toMatch(/this launch was used already/);
  expect((await call(`${svc.url}/api/submissions`, { headers: basic(ana) })).status).toBe(200);
});

async function page(): Promise<Page> {
  const p = await browser.newPage();
  p.on("dialog", (d) => void d.dismiss());
  return p;
}

test("a learner launched from the LMS in Chromium lands on the section's page signed in, sees a token once, submits with it, and can get another", async () => {
  const p = await page();
  await p.goto(platform.launchUrl("u-bo", S));
  await p.waitForSelector("#token");
  expect(await p.textContent("h1")).toBe(`Section ${S}`);
  expect(await p.textContent("main")).toContain("bo@example.org");
  await p.screenshot({ path: path.join(shots, "learner-launch.png"), fullPage: true });
  const bo = { email: "bo@example.org", token: (await p.textContent("#token"))!.trim(), name: "Bo Chen" };
  const sent = await submit(svc, bo, S, stub);
  expect(sent.status).toBe(202);
  expect((await graded(svc, bo, sent.body.id)).state).toBe("graded");
  // A second launch: signed in, the token not shown again, the submission listed.
  await p.goto(platform.launchUrl("u-bo", S));
  await p.waitForSelector("h1");
  expect(await p.$("#token")).toBeNull();
  expect(await p.textContent("main")).toMatch(/Your token was shown on/);
  expect(await p.textContent("main")).toMatch(new RegExp(`${S}\\.ipynb · [^·]+ · 0 / 100`));
  await p.click("text=Get a new token");
  await p.waitForSelector("#token");
  const fresh = (await p.textContent("#token"))!.trim();
  expect(fresh).not.toBe(bo.token);
  expect((await call(`${svc.url}/api/submissions`, { headers: basic(bo) })).status).toBe(401);
  expect((await call(`${svc.url}/api/submissions`, { headers: basic({ ...bo, token: fresh }) })).status).toBe(200);
  await p.close();
});

let instructor: Page;
test("an instructor launched in Chromium lands on the gradebook, and the course's members come into the roster, tokens kept", async () => {
  instructor = await page();
  await instructor.goto(platform.launchUrl("u-prof", S));
  await instructor.waitForURL(`${svc.url}/instructor`);
  await instructor.waitForSelector("h1:text('Gradebook')");
  const members = await until("the roster synced after the instructor's launch", () =>
    withStore(async (s) => {
      const m = await s.lti.members(await platformId(s), platform.context.id);
      return m.length >= 3 && m;
    }),
  );
  expect(members.map((m) => [m.userId, m.role]).sort()).toEqual([
    ["u-ana", "learner"],
    ["u-bo", "learner"],
    ["u-prof", "instructor"],
  ]);
  expect((await call(`${svc.url}/api/submissions`, { headers: basic(ana) })).status).toBe(200); // Ana keeps her token
  const sync = await course(["lti", "sync", "--data", svc.data]);
  expect(sync.code).toBe(0);
  expect(sync.out).toMatch(/0 learners added, 2 kept, 1 instructors/);
  expect(sync.out).toMatch(/skipped u-cy: the platform sends no email/);
  expect(sync.out).toMatch(/skipped u-dee: status Inactive/);
});
const platformId = async (s: Store) => (await s.lti.platforms())[0].id;

const postsOf = (user: string) => platform.scores.filter((x) => x.body.userId === user);

test("each graded score goes back to the section's line item, the one made by hand found by its resourceId and none duplicated", async () => {
  const sent = await submit(svc, ana, S, filled);
  const result = await graded(svc, ana, sent.body.id);
  const post = await until("Ana's score on the platform", async () =>
    postsOf("u-ana").find((x) => x.body.scoreGiven === result.result.score),
  );
  expect(post.lineItem).toBe(`${platform.url}/ags/${platform.context.id}/lineitems/900`);
  expect(post.body).toMatchObject({
    scoreMaximum: result.result.maxScore,
    activityProgress: "Completed",
    gradingProgress: "FullyGraded",
  });
  expect(Date.parse(String(post.body.timestamp))).toBeGreaterThan(0);
  await until("Bo's score on the platform", async () => postsOf("u-bo").length === 1);
  expect(platform.lineItems.filter((i) => i.resourceId === S)).toHaveLength(1);
  await instructor.goto(`${svc.url}/instructor`);
  expect(await instructor.textContent("#passback-summary")).toMatch(/^2 sent · 0 pending · 0 failed$/);
  expect(platform.refusals).toEqual([]);
});

test("a platform down while scores are sent loses none: they wait, shown pending with why, and arrive once when it is back, even when its first answer is lost", async () => {
  platform.down = true;
  const p = await page();
  await p.goto(platform.launchUrl("u-bo", S)); // the LMS pages work while its services are down
  await p.click("text=Get a new token");
  const token = (await (await p.waitForSelector("#token")).textContent())!.trim();
  await p.close();
  const sent = await submit(svc, { email: "bo@example.org", name: "Bo", token }, S, filled);
  const result = await graded(svc, { email: "bo@example.org", name: "Bo", token }, sent.body.id);
  const waiting = await until("Bo's new score waiting after two failed tries", () =>
    withStore(async (s) => (await s.lti.scores()).find((x) => x.userId === "u-bo" && x.attempts >= 2)),
  );
  expect(waiting).toMatchObject({ state: "pending", score: result.result.score });
  expect(waiting.error).toMatch(/answered 503/);
  await instructor.goto(`${svc.url}/instructor`);
  expect(await instructor.textContent("#passback-summary")).toMatch(/1 pending/);
  expect(await instructor.textContent("table.passback")).toMatch(/answered 503/);
  platform.loseScoreAnswers = 1; // back, but the answer to the first score it takes never arrives
  platform.down = false;
  await until("Bo's new score on the platform", async () =>
    postsOf("u-bo").some((x) => x.body.scoreGiven === result.result.score),
  );
  await until("the outbox all sent", () =>
    withStore(async (s) => (await s.lti.scores()).every((x) => x.state === "sent")),
  );
  expect(postsOf("u-bo").map((x) => x.body.scoreGiven)).toEqual([0, result.result.score]);
  expect(platform.lineItems.filter((i) => i.resourceId === S)).toHaveLength(1);
  // Sent again after the lost answer, the platform's "not newer" (409) means it holds the score: sent, not failed.
  expect(platform.refusals.filter((r) => r !== "down for maintenance")).toEqual([
    "the score's answer was lost",
    "score: not newer than the one held",
  ]);
  // Tokens are cached: one per scope set (members, line items, scores) and one for `course lti sync`.
  expect(platform.tokensIssued).toBeLessThanOrEqual(4);
  await instructor.screenshot({ path: path.join(shots, "instructor-passback.png"), fullPage: true });
});

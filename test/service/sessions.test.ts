// Sessions, cross-site requests and what the service leaves on disk, against a real `course serve`
// (issue 24, findings 11–15): sign-out ends a session for every copy of its cookie, another site
// can neither sign a browser in nor out nor post with its cached credentials, and the store is
// readable by the service's user alone.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { notebookJson } from "../../grader/authoring";
import { variants } from "../helpers";
import { addLearners, basic, bearer, call, graded, killAll, startService, submit, tmpDir } from "./harness";
import type { Creds, Service } from "./harness";

const S = "01-single-unit-gd";
const filled = notebookJson(variants(S).filledNotebook());
let svc: Service, data: string, ada: Creds;

beforeAll(async () => {
  data = path.join(tmpDir("course-sessions-"), "new", "data"); // folders the service creates
  svc = await startService({ data, args: ["--jobs", "1"] });
  [ada] = await addLearners(data, [{ email: "ada@example.org", name: "Ada Lovelace" }]);
});
afterAll(async () => {
  await svc?.stop();
  killAll();
});

const form = (fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  redirect: "manual",
  headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  body: new URLSearchParams(fields).toString(),
});
/** The session cookie a response sets, as a browser would send it back. */
const cookieOf = (r: Response) => (r.headers.get("set-cookie") ?? "").split(";")[0];
const signIn = async (headers: Record<string, string> = {}) =>
  fetch(`${svc.url}/signin`, form({ email: ada.email, token: ada.token }, headers));

test("signing out ends the session: a copy of the cookie taken before no longer signs anyone in", async () => {
  const r = await signIn({ Origin: svc.url, "Sec-Fetch-Site": "same-origin" });
  expect(r.status).toBe(303);
  const cookie = cookieOf(r);
  expect(cookie).toMatch(/^course_session=/);
  expect(cookie).not.toContain(ada.email); // the cookie holds a random id, not who it is
  expect((await call(`${svc.url}/`, { headers: { cookie } })).text).toContain("Ada Lovelace");
  const out = await fetch(`${svc.url}/signout`, form({}, { cookie, "Sec-Fetch-Site": "same-origin" }));
  expect(out.status).toBe(303);
  const after = await call(`${svc.url}/`, { headers: { cookie } });
  expect(after.text).not.toContain("Ada Lovelace");
  expect(after.text).toMatch(/token/i); // the sign-in page
  expect((await call(`${svc.url}/api/me`, { headers: { cookie } })).status).toBe(401);
});

test("the instructor's session ends at sign-out too", async () => {
  const r = await fetch(`${svc.url}/instructor/signin`, form({ key: svc.key }, { "Sec-Fetch-Site": "same-origin" }));
  const cookie = cookieOf(r);
  expect((await call(`${svc.url}/api/status`, { headers: { cookie } })).status).toBe(200);
  await fetch(`${svc.url}/signout`, form({}, { cookie, "Sec-Fetch-Site": "same-origin" }));
  expect((await call(`${svc.url}/api/status`, { headers: { cookie } })).status).toBe(401);
});

test("a sign-in or sign-out form posted from another site is refused, and no session is made or ended", async () => {
  const crossSite: Record<string, string>[] = [
    { "Sec-Fetch-Site": "cross-site" },
    { Origin: "https://evil.example" },
    { Origin: "null" },
  ];
  for (const headers of crossSite) {
    const r = await signIn(headers);
    expect(r.status).toBe(403);
    expect(r.headers.get("set-cookie")).toBeNull();
    expect(await r.text()).toContain("this form was sent from another site");
  }
  const cookie = cookieOf(await signIn({ "Sec-Fetch-Site": "same-origin" }));
  const forced = await fetch(`${svc.url}/signout`, form({}, { cookie, "Sec-Fetch-Site": "cross-site" }));
  expect(forced.status).toBe(403);
  expect((await call(`${svc.url}/api/me`, { headers: { cookie } })).body.email).toBe(ada.email);
});

test("the API never asks a browser for Basic credentials, and a credentialed post without the client header stores nothing", async () => {
  const none = await call(`${svc.url}/api/me`);
  expect(none.status).toBe(401);
  expect(none.headers.get("www-authenticate")).not.toMatch(/^Basic\b/i);
  const { "X-Course-Client": _, ...browserOnly } = basic(ada);
  const posted = await call(`${svc.url}/api/submissions?section=${S}`, {
    method: "POST",
    headers: { ...browserOnly, "Content-Type": "text/plain" },
    body: filled,
  });
  expect(posted.status).toBe(403);
  expect(posted.body.error).toMatch(/must also send the x-course-client header/);
  const cookie = cookieOf(await signIn({ "Sec-Fetch-Site": "same-origin" }));
  const both = await call(`${svc.url}/api/me`, { headers: { ...basic(ada), cookie } });
  expect(both.status).toBe(400);
  const mine = await call(`${svc.url}/api/submissions`, { headers: basic(ada) });
  expect(mine.body.submissions).toHaveLength(0);
});

test("rotating a learner's token ends their sessions", async () => {
  const cookie = cookieOf(await signIn({ "Sec-Fetch-Site": "same-origin" }));
  expect((await call(`${svc.url}/api/me`, { headers: { cookie } })).status).toBe(200);
  const [again] = await addLearners(data, [{ email: "bea@example.org", name: "Bea" }]);
  const beaCookie = cookieOf(
    await fetch(`${svc.url}/signin`, form({ email: again.email, token: again.token }, { "Sec-Fetch-Site": "none" })),
  );
  // As the instructor does it: `course roster rotate EMAIL`.
  execFileSync(process.execPath, [
    path.join(__dirname, "..", "..", "bin", "course.js"),
    "roster",
    "rotate",
    again.email,
    "--data",
    data,
  ]);
  expect((await call(`${svc.url}/api/me`, { headers: { cookie: beaCookie } })).status).toBe(401);
  expect((await call(`${svc.url}/api/me`, { headers: { cookie } })).status).toBe(200); // Ada's is untouched
});

test("the store and its journal files are the service's user's alone (600) in a folder it made (700)", async () => {
  const s = await submit(svc, ada, S, filled);
  expect(s.status).toBe(202);
  await graded(svc, ada, s.body.id);
  const mode = (f: string) => fs.statSync(f).mode & 0o777;
  expect(mode(data).toString(8)).toBe("700");
  for (const f of ["course.sqlite", "course.sqlite-wal", "course.sqlite-shm", "instructor.key"])
    if (fs.existsSync(path.join(data, f))) expect([f, mode(path.join(data, f)).toString(8)]).toEqual([f, "600"]);
  expect(fs.existsSync(path.join(data, "course.sqlite-wal"))).toBe(true);
  expect((await call(`${svc.url}/api/status`, { headers: bearer(svc.key) })).status).toBe(200);
});

// Deadlines, late policies, extensions and slip days against the real `course serve` (SQLite) and
// the instructor's commands. No test sleeps to a deadline: the submissions are made, then the
// section's times are set around their stored times (a due time between Ana's and Bo's), or ahead of
// and behind the moment a request is sent.
import Database from "better-sqlite3";
import { execFile } from "child_process";
import { writeFileSync } from "fs";
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
  startUpload,
  submit,
  tmpDir,
  type Creds,
  type Service,
} from "./harness";

const S1 = "01-single-unit-gd",
  S3 = "03-not-network";
const filled1 = notebookJson(variants(S1).filledNotebook()),
  filled3 = notebookJson(variants(S3).filledNotebook());
const run = promisify(execFile);
const course = async (...args: string[]) =>
  (
    await run(process.execPath, [path.join(__dirname, "..", "..", "bin", "course.js"), ...args, "--data", svc.data], {
      encoding: "utf8",
    })
  ).stdout;
const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 24 * 3600_000;

let svc: Service;
let ana: Creds, bo: Creds, cy: Creds, dee: Creds;
/** Bo's first submission of 01 (the first test's). */
let boFirst: { id: string; at: number };
beforeAll(async () => {
  svc = await startService({ args: ["--jobs", "2"] });
  [ana, bo, cy, dee] = await addLearners(svc.data, [
    { email: "ana@example.org", name: "Ana" },
    { email: "bo@example.org", name: "Bo" },
    { email: "cy@example.org", name: "Cy" },
    { email: "dee@example.org", name: "Dee" },
  ]);
}, 300_000);
afterAll(async () => {
  await svc?.stop();
  killAll();
});

/** Sends and waits for the grade: the submission's id and stored time. */
async function sent(c: Creds, section: string, nb: string): Promise<{ id: string; at: number }> {
  const r = await submit(svc, c, section, nb);
  expect(r.status).toBe(202);
  await graded(svc, c, r.body.id);
  return { id: r.body.id, at: Date.parse(r.body.receivedAt) };
}
const gradebook = async () =>
  (await call(`${svc.url}/api/gradebook`, { headers: bearer(svc.key) })).body.rows as {
    email: string;
    section: string;
    extended: boolean;
    best: { score: number; final: number; late: string | null } | null;
  }[];
const row = async (email: string, section: string) =>
  (await gradebook()).find((r) => r.email === email && r.section === section)!;

test("on time, late at −10 %/day, extended: the gradebook keeps raw and final scores and says why; an extension recomputes at once", async () => {
  const a = await sent(ana, S1, filled1);
  const b = (boFirst = await sent(bo, S1, filled1));
  const c = await sent(cy, S1, filled1);
  // Due between Ana's and Bo's submissions; late submissions taken for a week at −10 % per started day, at most −50 %.
  const due = a.at + Math.floor((b.at - a.at) / 2);
  const out = await course(
    "section",
    "set",
    S1,
    "--due",
    iso(due),
    "--late-until",
    iso(due + 7 * DAY),
    "--penalty",
    "10%/day",
    "--cap",
    "50",
  );
  expect(out).toBe(
    `${S1}: due ${iso(due).slice(0, 16).replace("T", " ")} UTC, late until ${iso(due + 7 * DAY)
      .slice(0, 16)
      .replace("T", " ")} UTC; late: −10 %/day, at most −50 %; counts: best\n`,
  );
  expect((await row("ana@example.org", S1)).best).toMatchObject({ score: 100, final: 100, late: null });
  expect((await row("bo@example.org", S1)).best).toMatchObject({ score: 100, final: 90, late: "1 day late: −10 %" });
  expect((await row("cy@example.org", S1)).best).toMatchObject({ final: 90, late: "1 day late: −10 %" });
  // An extension for Cy past her submission: on time, at once; the change is recorded.
  const ext = await course("extend", "cy@example.org", S1, "--until", iso(c.at + 60_000), "--by", "prof");
  expect(ext).toMatch(/^cy@example.org: 01-single-unit-gd due .* UTC → .* UTC; scores recomputed\n$/);
  const cyRow = await row("cy@example.org", S1);
  expect(cyRow).toMatchObject({ extended: true, best: { final: 100, late: null } });
  const db = new Database(path.join(svc.data, "course.sqlite"), { readonly: true });
  expect(db.prepare("SELECT old_due, new_due, by_whom FROM extension_log").all()).toEqual([
    { old_due: null, new_due: c.at + 60_000, by_whom: "prof" },
  ]);
  db.close();
  // The CSV an LMS takes keeps both: the total and the final score with its reason.
  const csv = (await call(`${svc.url}/api/gradebook.csv`, { headers: bearer(svc.key) })).text;
  expect(csv.split("\n")[0]).toMatch(/,error,flags,final,late$/);
  expect(csv).toMatch(
    /^bo@example\.org,01-single-unit-gd\.ipynb,01-single-unit-gd,ok,100,100,.*,90,1 day late: −10 %$/m,
  );
  // The layouts Canvas' and Moodle's grade imports take: a row per learner, the final score per section.
  const canvas = (await course("gradebook", "--format", "canvas")).split("\n");
  expect(canvas[0]).toBe(
    `Student,ID,SIS User ID,SIS Login ID,Section,${S1},02-admissions,${S3},04-relu-2-3-1,05-mnist`,
  );
  expect(canvas).toContain("Bo,,,bo@example.org,,90,,,,");
  expect(canvas).toContain("Dee,,,dee@example.org,,,,,,");
  const moodle = (await course("gradebook", "--format", "moodle")).split("\n");
  expect(moodle[0]).toBe(`Email address,${S1},02-admissions,${S3},04-relu-2-3-1,05-mnist`);
  expect(moodle).toContain("cy@example.org,100,,,,");
  await expect(course("gradebook", "--format", "blackboard")).rejects.toThrow(
    /--format: "blackboard" is not one of csv, canvas, moodle/,
  );
  // The learner reads the same: what counts, before what, and the calendar.
  const mine = (await call(`${svc.url}/api/submissions`, { headers: basic(bo) })).body;
  expect(mine.best[S1]).toMatchObject({ score: 90, raw: 100, why: "1 day late: −10 %", counts: "best" });
  expect(mine.due[S1]).toMatch(/^late since .* UTC: −10 %\/day, at most −50 % until .* UTC$/);
  const one = (await call(`${svc.url}/api/submissions/${b.id}`, { headers: basic(bo) })).body;
  expect(one.best).toMatchObject({ score: 90, why: "1 day late: −10 %" });
  expect(one.due).toBe(mine.due[S1]);
});

test("after the late window a submission is refused in one sentence and nothing is stored; an extension lets its learner in", async () => {
  const now = Date.now();
  // Due yesterday, the late window closed a minute ago (Cy's extension runs until a minute from now... and moves it).
  await course("section", "set", S1, "--due", iso(now - DAY), "--late-until", iso(now - 60_000));
  const before = (await call(`${svc.url}/api/submissions`, { headers: basic(dee) })).body.submissions.length;
  const r = await submit(svc, dee, S1, filled1);
  expect(r.status).toBe(403);
  expect(r.body.error).toMatch(
    /^section 01-single-unit-gd closed \d{4}-\d\d-\d\d \d\d:\d\d UTC: it takes no more submissions — ask your instructor for an extension$/,
  );
  expect((await call(`${svc.url}/api/submissions`, { headers: basic(dee) })).body.submissions).toHaveLength(before);
  await course("extend", "dee@example.org", S1, "--until", iso(now + DAY));
  const d = await sent(dee, S1, filled1);
  expect(d.at).toBeGreaterThan(now);
  expect((await row("dee@example.org", S1)).best).toMatchObject({ final: 100, late: null });
  // Not open yet: refused, with when it opens.
  await course("section", "set", S3, "--opens", iso(now + 2 * DAY), "--due", iso(now + 9 * DAY));
  const early = await submit(svc, dee, S3, filled3);
  expect(early.status).toBe(403);
  expect(early.body.error).toMatch(/^section 03-not-network opens .* UTC \(in (1 day 23 h|2 days)\): submit it then$/);
  await course("section", "set", S3, "--opens", "none");
});

test("a body whose last byte arrives after the due time is late, though its headers came before", async () => {
  const now = Date.now();
  await course(
    "section",
    "set",
    S1,
    "--due",
    iso(now + DAY),
    "--late-until",
    iso(now + 7 * DAY),
    "--penalty",
    "20%/day",
  );
  const u = startUpload(svc, ana, filled1, { section: S1 });
  // The headers are in; the due time passes (the instructor moves it to now) before the body is sent.
  await new Promise((r) => setTimeout(r, 300));
  expect(u.answered()).toBe(false);
  await course("section", "set", S1, "--due", iso(Date.now()));
  u.finish();
  const a = await u.answer;
  expect(a.status).toBe(202);
  const id = JSON.parse(a.text).id;
  await graded(svc, ana, id);
  // Ana's earlier on-time 100 still counts (best after the penalty); her late one alone would be 80.
  await course("section", "set", S1, "--counts", "last");
  expect((await row("ana@example.org", S1)).best).toMatchObject({ score: 100, final: 80, late: "1 day late: −20 %" });
  await course("section", "set", S1, "--counts", "best");
  expect((await row("ana@example.org", S1)).best).toMatchObject({ final: 100, late: null });
});

test("slip days across sections: spent in the order of the due times, then the penalty applies", async () => {
  await course("slip-days", "1");
  const b3 = await sent(bo, S3, filled3);
  // 03 due two hours before Bo's first 01 submission, 01 one hour before it: 03 comes first and
  // takes Bo's one slip day; 01 then pays its penalty.
  const [due3, due1] = [boFirst.at - 2 * 3600_000, boFirst.at - 3600_000];
  const until = iso(b3.at + DAY);
  await course("section", "set", S3, "--due", iso(due3), "--late-until", until, "--penalty", "10%/day", "--slip-days");
  await course("section", "set", S1, "--due", iso(due1), "--late-until", until, "--penalty", "20%/day", "--slip-days");
  const bo3 = await row("bo@example.org", S3);
  expect(bo3.best).toMatchObject({ final: bo3.best!.score, late: "1 slip day used, 0 left" });
  expect((await row("bo@example.org", S1)).best).toMatchObject({
    final: 80,
    late: "1 day late: −20 % (0 slip days left, 1 needed)",
  });
  const list = await course("section", "list");
  expect(list).toMatch(
    /^03-not-network\topen\tdue .* UTC, late until .* UTC; late: −10 %\/day; slip days may cover it; counts: best$/m,
  );
});

test("bad calendar input is refused with the fix, and nothing changes", async () => {
  const refuse = (args: string[], problem: RegExp) => expect(course(...args)).rejects.toThrow(problem);
  await refuse(
    ["section", "set", S1, "--due", "2026-12-24T23:59"],
    /--due: "2026-12-24T23:59" has no zone: add Z or \+01:00, or give --tz/,
  );
  await refuse(
    ["section", "set", S1, "--due", "2026-12-24T23:59", "--tz", "Mars/Base"],
    /--tz: "Mars\/Base" is not a time zone/,
  );
  await refuse(["section", "set", S1, "--penalty", "lots"], /--penalty: "lots" is not a penalty: write it as 10%\/day/);
  await refuse(
    ["section", "set", S1, "--late-until", "2020-01-01T00:00:00Z"],
    /--late-until .* must not come before --due/,
  );
  await refuse(
    ["section", "set", S1, "--due", "2031-01-01T00:00:00Z"],
    /--late-until \(.*\) must not come before --due \(2031-01-01 00:00 UTC\)/,
  );
  await refuse(
    ["extend", "zed@example.org", S1, "--until", "2030-01-01T00:00:00Z"],
    /zed@example.org is not in the roster/,
  );
  await refuse(["slip-days", "-2"], /slip-days: "-2" is not a whole number of days/);
  const before = await course("section", "list");
  const set = await course(
    "section",
    "set",
    S1,
    "--due",
    "2030-06-01T12:00",
    "--late-until",
    "none",
    "--tz",
    "Europe/Berlin",
  );
  expect(set).toMatch(
    /^01-single-unit-gd: due 2030-06-01 10:00 UTC; late: −20 %\/day, at most −50 %; slip days may cover it; counts: best$/m,
  );
  expect(before).not.toContain("2030-06-01");
});

test("a course file sets the calendar of several sections and the slip days at once; a file with one mistake changes nothing", async () => {
  const dir = tmpDir("course-file-");
  const file = (name: string, data: unknown) => {
    const f = path.join(dir, name);
    writeFileSync(f, JSON.stringify(data));
    return f;
  };
  const good = file("course.json", {
    tz: "Europe/Berlin",
    slipDays: 4,
    sections: {
      [S1]: { due: "2031-03-01T23:59", lateUntil: "2031-03-08T23:59", penalty: "5%/day", cap: 30, counts: "last" },
      [S3]: { opens: "2031-02-01T09:00", due: "2031-03-15T23:59", lateUntil: "none", slipDays: false },
    },
  });
  const out = await course("section", "import", good);
  expect(out).toContain(
    `${S1}: due 2031-03-01 22:59 UTC, late until 2031-03-08 22:59 UTC; late: −5 %/day, at most −30 %`,
  );
  expect(out).toContain(`${S3}: opens 2031-02-01 08:00 UTC, due 2031-03-15 22:59 UTC;`);
  expect(out).toContain("each learner has 4 slip days for the course");
  const before = await course("section", "list");
  const bad = file("bad.json", { sections: { [S1]: { due: "2031-03-02T00:00:00Z" }, [S3]: { due: "soon" } } });
  await expect(course("section", "import", bad)).rejects.toThrow(
    /sections\.03-not-network: --due: "soon" is not a time/,
  );
  await expect(course("section", "import", file("typo.json", { sections: { [S1]: { dew: "x" } } }))).rejects.toThrow(
    /sections\.01-single-unit-gd\.dew: not a setting; settings: opens, due, lateUntil/,
  );
  expect(await course("section", "list")).toBe(before);
});

// Admission against a real `course serve` (issue 24, findings 1, 2 and 7): uploads in flight count
// as stored ones, one learner cannot fill the queue, and a section closed while a body was still
// arriving refuses it when its last byte comes.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { timeScale } from "../../grader/isolation";
import {
  addLearners,
  basic,
  bearer,
  call,
  graded,
  killAll,
  withService,
  startUpload,
  submit,
  type RawUpload,
} from "./harness";

const S = "01-single-unit-gd";
const stub = fs.readFileSync(path.join(__dirname, "..", "..", "notebooks", `${S}.ipynb`));

afterAll(() => killAll());

/** Waits until `n` uploads were answered from their headers alone (a hang guard, not a measure). */
async function refusedFromHeaders(uploads: RawUpload[], n: number): Promise<void> {
  const until = Date.now() + 60_000 * timeScale();
  while (uploads.filter((u) => u.answered()).length < n && Date.now() < until)
    await new Promise((r) => setTimeout(r, 50));
}

test("24 uploads raced by one learner whose bodies follow later: exactly --per-window are accepted, the rest 429", async () => {
  await withService(["--jobs", "1", "--per-window", "5", "--max-pending", "100"], async (svc) => {
    const [mallory] = await addLearners(svc.data, [{ email: "mallory@example.org", name: "Mallory" }]);
    const uploads = Array.from({ length: 24 }, () => startUpload(svc, mallory, stub));
    await refusedFromHeaders(uploads, 19);
    for (const u of uploads) u.finish();
    const answers = await Promise.all(uploads.map((u) => u.answer));
    const codes = answers.map((a) => a.status);
    expect(codes.filter((c) => c === 202)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(19);
    expect(answers.find((a) => a.status === 429)!.text).toMatch(/submitted 5 times in the last 60 minutes/);
    const mine = await call(`${svc.url}/api/submissions`, { headers: basic(mallory) });
    expect(mine.body.submissions).toHaveLength(5);
  });
});

test("one learner racing 24 uploads holds at most --max-pending places: the queue still takes another learner's", async () => {
  await withService(["--jobs", "1", "--max-queue", "10", "--max-pending", "3"], async (svc) => {
    const [mallory, alice] = await addLearners(svc.data, [
      { email: "mallory@example.org", name: "Mallory" },
      { email: "alice@example.org", name: "Alice" },
    ]);
    const uploads = Array.from({ length: 24 }, () => startUpload(svc, mallory, stub));
    await refusedFromHeaders(uploads, 21);
    for (const u of uploads) u.finish();
    const answers = await Promise.all(uploads.map((u) => u.answer));
    expect(answers.filter((a) => a.status === 202)).toHaveLength(3);
    expect(answers.find((a) => a.status === 429)!.text).toMatch(/3 submissions waiting to be graded, the most allowed/);
    const theirs = await submit(svc, alice, S, stub);
    expect(theirs.status).toBe(202);
  });
});

test("a section closed while a body is still arriving refuses it at its last byte, and nothing is stored", async () => {
  await withService(["--jobs", "1"], async (svc) => {
    const [late] = await addLearners(svc.data, [{ email: "late@example.org", name: "Late" }]);
    const upload = startUpload(svc, late, stub);
    // The headers were admitted while the section was open: a status probe proves it holds a place.
    const until = Date.now() + 60_000 * timeScale();
    while ((await call(`${svc.url}/api/status`, { headers: bearer(svc.key) })).body.uploading !== 1) {
      if (Date.now() > until) throw new Error("the upload was never admitted");
      await new Promise((r) => setTimeout(r, 50));
    }
    const close = await call(`${svc.url}/api/sections/${S}/close`, { method: "POST", headers: bearer(svc.key) });
    expect(close.status).toBe(200);
    upload.finish();
    const answer = await upload.answer;
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.text).error).toBe(`section ${S} is closed: it takes no more submissions`);
    const mine = await call(`${svc.url}/api/submissions`, { headers: basic(late) });
    expect(mine.body.submissions).toHaveLength(0);
    expect((await call(`${svc.url}/api/status`, { headers: bearer(svc.key) })).body.uploading).toBe(0);
  });
});

test("the queue is fair: one learner's three submissions delay another's first by at most one grading per worker", async () => {
  await withService(["--jobs", "1"], async (svc) => {
    const [mallory, alice] = await addLearners(svc.data, [
      { email: "mallory@example.org", name: "Mallory" },
      { email: "alice@example.org", name: "Alice" },
    ]);
    const hers = [];
    for (let i = 0; i < 3; i++) hers.push((await submit(svc, mallory, S, stub)).body.id as string);
    const theirs = (await submit(svc, alice, S, stub)).body.id as string;
    const done = await Promise.all([...hers.map((id) => graded(svc, mallory, id)), graded(svc, alice, theirs)]);
    const at = done.map((d) => d.result.gradedAt as string);
    // In the order received, all three of Mallory's would go first. Fairly: the one being graded when
    // Alice's came (or, if it was done, the next one, received before Alice's), then Alice's.
    const before = at.slice(0, 3).filter((t) => t < at[3]).length;
    process.stdout.write(
      `fair queue: another learner's first graded after ${before} of one learner's 3 (in the order received: 3)\n`,
    );
    expect({ before, log: before <= 2 ? "" : `${hers.join(" ")} / ${theirs}\n${svc.log()}` }).toEqual({
      before: expect.any(Number),
      log: "",
    });
    expect(before).toBeLessThanOrEqual(2);
  });
});

test("a close time set ahead refuses a body whose last byte comes after it, and the CLI lists and reopens the section", async () => {
  await withService(["--jobs", "1"], async (svc) => {
    const course = (...args: string[]) =>
      execFileSync(
        process.execPath,
        [path.join(__dirname, "..", "..", "bin", "course.js"), ...args, "--data", svc.data],
        {
          encoding: "utf8",
        },
      );
    const [late] = await addLearners(svc.data, [{ email: "late@example.org", name: "Late" }]);
    const upload = startUpload(svc, late, stub);
    const status = () => call(`${svc.url}/api/status`, { headers: bearer(svc.key) });
    const until = Date.now() + 60_000 * timeScale();
    while ((await status()).body.uploading !== 1) {
      if (Date.now() > until) throw new Error("the upload was never admitted");
      await new Promise((r) => setTimeout(r, 50));
    }
    // Admitted while open; the deadline is set now, a second ahead.
    const at = new Date(Date.now() + 1000).toISOString();
    const set = await call(`${svc.url}/api/sections/${S}/close?at=${encodeURIComponent(at)}`, {
      method: "POST",
      headers: bearer(svc.key),
    });
    expect(set.body).toEqual({ section: S, open: true, closesAt: at });
    const open = async () =>
      (await call(`${svc.url}/api/sections`)).body.sections.find((s: { name: string }) => s.name === S).open;
    while (await open()) {
      if (Date.now() > until) throw new Error("the section never closed");
      await new Promise((r) => setTimeout(r, 100));
    }
    upload.finish();
    const answer = await upload.answer;
    expect(answer.status).toBe(403);
    expect((await call(`${svc.url}/api/submissions`, { headers: basic(late) })).body.submissions).toHaveLength(0);
    expect(course("section", "list")).toContain(`${S}\tclosed since ${at}`);
    expect(course("section", "open", S)).toBe(`${S}: open\n`);
    expect((await submit(svc, late, S, stub)).status).toBe(202);
    const later = "2099-01-01T00:00:00.000Z";
    expect(course("section", "close", S, "--at", later)).toBe(`${S}: closes ${later}\n`);
    expect(course("section", "list")).toContain(`${S}\topen, closes ${later}`);
  });
});

// The learner's and the instructor's pages in a real browser (Debian's chromium, driven by
// playwright-core): sign in, upload a notebook, see its table; the gradebook, its CSV and the charts.
// Learner strings reach the pages as text only, and no script runs but the page's own.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./browser";
import { notebookJson } from "../../grader/authoring";
import { timeScale } from "../../grader/isolation";
import { variants } from "../helpers";
import { addLearners, killAll, startService, tmpDir, type Creds, type Service } from "./harness";

const S = "01-single-unit-gd";
const shots = tmpDir("course-pages-");
let svc: Service, browser: Browser, learner: Creds, xss: Creds;

beforeAll(async () => {
  svc = await startService({ args: ["--jobs", "2"] });
  [learner, xss] = await addLearners(svc.data, [
    { email: "lin@example.org", name: "Lin" },
    { email: "xss@example.org", name: `<img src=x onerror="window.__pwned=1">"><script>window.__pwned=2</script>` },
  ]);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
  killAll();
});

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // Script errors count; a refused request (a 4xx the test provokes) is the browser's own log line.
  page.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && errors.push(m.text()));
  page.on("dialog", (d) => {
    errors.push(`a dialog opened: ${d.message()}`);
    void d.dismiss();
  });
  return { page, errors };
}

async function signIn(page: Page, c: Creds) {
  await page.goto(svc.url);
  await page.fill("input[name=email]", c.email);
  await page.fill("input[name=token]", c.token);
  await page.click("button[type=submit]");
}

test("a learner signs in, uploads a notebook and sees its Part / Score / Feedback table appear", async () => {
  const { page, errors } = await newPage();
  await page.goto(svc.url);
  await page.fill("input[name=email]", learner.email);
  await page.fill("input[name=token]", "wrong");
  await page.click("button[type=submit]");
  await expectText(page, "[role=alert]", /email and token do not match/);
  // The section is due in two days: the learner's page says so, with the late policy once it is late.
  const due = new Date(Date.now() + 2 * 24 * 3600_000 + 3600_000).toISOString();
  execFileSync(process.execPath, [
    path.join(__dirname, "..", "..", "bin", "course.js"),
    ...["section", "set", S, "--data", svc.data, "--due", due, "--penalty", "10%/day"],
  ]);
  await signIn(page, learner);
  await page.waitForSelector("#upload");
  await expectText(
    page,
    "table.best",
    /01-single-unit-gd\s*—\s*due \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 2 days( 1 h)?\)/,
  );
  const file = path.join(tmpDir("course-upload-"), "my-gd.ipynb");
  fs.writeFileSync(file, notebookJson(variants(S).filledNotebook()));
  await page.selectOption("select[name=section]", S);
  await page.setInputFiles("input[name=notebook]", file);
  await page.click("#upload button[type=submit]");
  // The page reloads to the pending submission, then again when it is graded.
  await page.waitForSelector("details.submission table.result", { timeout: 300_000 * timeScale() });
  const rows = await page.$$eval("table.result tbody tr", (trs) => trs.map((tr) => tr.textContent ?? ""));
  expect(rows).toHaveLength(5);
  expect(rows[0]).toMatch(/✓ sigmoid\s*15 \/ 15/);
  await expectText(page, "table.result tfoot", /100 \/ 100/);
  await expectText(page, "table.best", /01-single-unit-gd\s*100 \/ 100/);
  await expectText(page, "details.submission summary", /my-gd\.ipynb/);
  await page.screenshot({ path: path.join(shots, "learner.png"), fullPage: true });
  // Not a notebook: one sentence from the service, nothing stored.
  const bad = path.join(tmpDir("course-upload-"), "notes.ipynb");
  fs.writeFileSync(bad, "these are my notes");
  await page.setInputFiles("input[name=notebook]", bad);
  await page.click("#upload button[type=submit]");
  await expectText(page, "#upload-status", /Not submitted: notes\.ipynb: not a notebook/);
  expect(await page.$$("details.submission")).toHaveLength(1);
  // The instructor regrades the section: the learner's result says so, with the instructor's reason.
  execFileSync(process.execPath, [
    path.join(__dirname, "..", "..", "bin", "course.js"),
    ...["regrade", S, "--data", svc.data, "--learners", learner.email, "--message", "the <sigmoid> case was fixed"],
  ]);
  await page.reload();
  await expectText(
    page,
    "details.submission p.regraded",
    /^Regraded on \d{4}-\d\d-\d\d \d\d:\d\d UTC: the <sigmoid> case was fixed$/,
  );
  await page.screenshot({ path: path.join(shots, "learner-regraded.png"), fullPage: true });
  expect(errors).toEqual([]);
});

test("the instructor signs in with the key and sees the gradebook, its CSV and the class's charts", async () => {
  // A learner whose name is markup submits too: it must show as text on the instructor's page.
  const { page: theirs } = await newPage();
  await signIn(theirs, xss);
  await theirs.waitForSelector("#upload");
  const stub = path.join(__dirname, "..", "..", "notebooks", `${S}.ipynb`);
  await theirs.setInputFiles("input[name=notebook]", stub);
  await theirs.click("#upload button[type=submit]");
  await theirs.waitForSelector("details.submission table.result", { timeout: 300_000 * timeScale() });

  const { page, errors } = await newPage();
  await page.goto(`${svc.url}/instructor`);
  await page.fill("input[name=key]", "not-the-key");
  await page.click("button[type=submit]");
  await expectText(page, "[role=alert]", /not the instructor key/);
  await page.fill("input[name=key]", svc.key);
  await page.click("button[type=submit]");
  await page.waitForSelector("table.gradebook");
  const rows = await page.$$eval("table.gradebook tbody tr", (trs) => trs.map((tr) => tr.textContent ?? ""));
  expect(rows.find((r) => r.includes("lin@example.org"))).toMatch(/01-single-unit-gd\s*100 \/ 100\s*100\s*ok\s*1/);
  expect(rows.find((r) => r.includes("xss@example.org"))).toContain(`<img src=x onerror="window.__pwned=1">`);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  // The charts are drawn (vega-lite, as SVG images) and the CSV downloads with the batch's columns.
  await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
  const sizes = await page.$$eval("figure img", (imgs) =>
    imgs.map((i) => [i.id, (i as HTMLImageElement).naturalWidth]),
  );
  expect(sizes.map(([id]) => id)).toEqual(["chart-scores", "chart-parts"]);
  for (const [, w] of sizes) expect(w).toBeGreaterThan(200);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("a[download]")]);
  const csv = fs.readFileSync((await download.path())!, "utf8");
  expect(csv.split("\n")[0]).toMatch(/^learner,file,section,status,total,max,01-single-unit-gd:sigmoid,/);
  expect(csv).toMatch(/lin@example\.org,my-gd\.ipynb,01-single-unit-gd,ok,100,100/);
  // Every enrolled learner has a row per section, submitted or not.
  expect(rows.find((r) => r.includes("lin@example.org") && r.includes("05-mnist"))).toMatch(
    /05-mnist\s*—\s*—\s*not submitted\s*0\s*never/,
  );
  // A stub's parts are counted as not started, not listed as the class's common mistakes.
  await expectText(page, "#stubs", /Not started yet.*01-single-unit-gd sigmoid \(1\)/s);
  expect(await page.$$eval("table.feedback", (t) => t.map((x) => x.textContent ?? "").join(""))).not.toMatch(
    /not implemented yet/,
  );
  await page.screenshot({ path: path.join(shots, "instructor.png"), fullPage: true });
  process.stdout.write(`pages: screenshots in ${shots}\n`);
  // A learner's name opens their record: each submission's table and the notebook as submitted.
  await page.click("table.gradebook a:text-is('Lin')");
  await page.waitForSelector("details.submission table.result");
  await expectText(page, "h1", /^Lin$/);
  const [nb] = await Promise.all([page.waitForEvent("download"), page.click("details.submission[open] a[download]")]);
  expect(JSON.parse(fs.readFileSync((await nb.path())!, "utf8")).nbformat).toBe(4);
  // Each submission says when it came against the due time, and which one counts.
  await expectText(page, "details.submission[open] p.timing", /^received on time; counts: 100$/);
  // Lin's submission was regraded (the first test): the result it replaced is kept and shown here.
  await expectText(
    page,
    "details.submission[open] p.earlier",
    /^Before regrade g_\S+: 100 \/ 100 \(graded \d{4}-\d\d-\d\d \d\d:\d\d UTC, exercise set [0-9a-f]{12}\)$/,
  );
  // An extension from the page: recorded, and the calendar says so at once.
  await page.fill("#extend input[name=until]", "2030-01-01T12:00:00Z");
  await page.click("#extend button[type=submit]");
  await expectText(page, "#extensions", /01-single-unit-gd: due 2030-01-01 12:00 UTC,\s*by the instructor's page on/);
  await expectText(page, "table.best", /01-single-unit-gd.*due 2030-01-01 12:00 UTC \(extended\)/s);
  await page.screenshot({ path: path.join(shots, "instructor-learner.png"), fullPage: true });
  await page.click("text=← Gradebook");
  await page.waitForSelector("table.gradebook");
  // Closing a section from the page: the learner's page then offers it as closed.
  await page.click(`button[data-section="${S}"]`);
  await expectText(page, "ul.sections", new RegExp(`${S}: closed`));
  await theirs.reload();
  expect(await theirs.$eval(`option[value="${S}"]`, (o) => (o as HTMLOptionElement).disabled)).toBe(true);
  expect(errors).toEqual([]);
});

test("pages carry a strict Content-Security-Policy, and a cookie-signed change needs the page's header", async () => {
  const r = await fetch(`${svc.url}/`);
  expect(r.headers.get("content-security-policy")).toMatch(/default-src 'none'; script-src 'self'/);
  expect(r.headers.get("x-content-type-options")).toBe("nosniff");
  // A form on another site can carry the cookie but not the header: refused.
  const { page } = await newPage();
  await signIn(page, learner);
  await page.waitForSelector("#upload");
  const cookie = (await page.context().cookies()).find((c) => c.name === "course_session")!;
  const forged = await fetch(`${svc.url}/api/submissions?section=${S}`, {
    method: "POST",
    headers: { Cookie: `${cookie.name}=${cookie.value}`, "Content-Type": "text/plain" },
    body: "{}",
  });
  expect(forged.status).toBe(403);
  expect((await forged.json()).error).toMatch(/x-course-page/);
});

async function expectText(page: Page, selector: string, pattern: RegExp) {
  await page.waitForFunction(
    ([sel, src, flags]) => new RegExp(src, flags).test(document.querySelector(sel)?.textContent ?? ""),
    [selector, pattern.source, pattern.flags] as const,
    { timeout: 60_000 * timeScale() },
  );
}

// From `course release --server …` to a graded table under the learner's last cell: the release's
// notebook run in a real Jupyter (Debian's nbclient, the course's kernel) submits itself to a real
// service, shows "queued / grading" live, then the Part / Score / Feedback table and the best score.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { buildNotebook, buildRelease, notebookJson } from "../../grader/authoring";
import { loadExerciseSet } from "../../grader/sections";
import { timeScale } from "../../grader/isolation";
import { writeKernelSpec } from "../../notebooks/kernel/install.js";
import { addLearners, basic, call, killAll, startService, tmpDir, type Creds, type Service } from "./harness";

const root = path.join(__dirname, "..", "..");
const S = "01-single-unit-gd";
const jupyterPath = tmpDir("course-submit-jupyter-");
let svc: Service, ada: Creds, release: string, notebooks: string;

beforeAll(async () => {
  if (!fs.existsSync("/usr/bin/jupyter"))
    throw new Error("no /usr/bin/jupyter: npm run setup installs Debian's Jupyter");
  writeKernelSpec(jupyterPath);
  svc = await startService({ args: ["--jobs", "1"] });
  [ada] = await addLearners(svc.data, [{ email: "ada@example.org", name: "Ada Lovelace" }]);
  release = path.join(tmpDir("course-submit-release-"), "release");
  buildRelease(release, { server: svc.url });
  fs.symlinkSync(path.join(root, "node_modules"), path.join(release, "node_modules"));
  notebooks = path.join(release, "notebooks");
});
afterAll(async () => {
  await svc?.stop();
  killAll();
});

interface Logged {
  nb: any;
  last: { type: string; display_id?: string; text?: string }[];
  inputs: { prompt: string; password: boolean }[];
}
/**
 * Runs `input` (a file in the release's notebooks/) with nbclient, cell after cell; with `answers`, as a
 * notebook UI (the kernel may ask for input, and gets these). The last cell's outputs and messages.
 */
function runNotebook(input: string, env: NodeJS.ProcessEnv = {}, answers?: string[]): Logged {
  const out = path.join(jupyterPath, `${path.basename(input)}.out.ipynb`),
    log = path.join(jupyterPath, `${path.basename(input)}.log.json`);
  const r = spawnSync(
    "/usr/bin/python3",
    [
      path.join(root, "test", "fixtures", "run_notebook.py"),
      input,
      out,
      log,
      notebooks,
      String(Math.round(600 * timeScale())),
      ...(answers ? ["--answers", JSON.stringify(answers)] : []),
    ],
    { encoding: "utf8", env: { ...process.env, JUPYTER_PATH: jupyterPath, ...env } },
  );
  if (r.status !== 0) throw new Error(`the notebook run failed:\n${r.stderr}`);
  const nb = JSON.parse(fs.readFileSync(out, "utf8"));
  const { cells, inputs } = JSON.parse(fs.readFileSync(log, "utf8"));
  return { nb, last: cells[String(nb.cells.length - 1)]?.messages ?? [], inputs };
}
const SUBMIT = 'import { submit } from "./course";\nawait submit();';
const lastOutputs = (nb: any) => nb.cells[nb.cells.length - 1].outputs;
const text = (outputs: any[]) =>
  outputs.map((o) => [].concat(o.text ?? o.data?.["text/plain"] ?? "").join("")).join("\n");
const html = (outputs: any[]) => outputs.map((o) => [].concat(o.data?.["text/html"] ?? "").join("")).join("\n");

/** The release's notebook with the solutions filled in and its last cell replaced, saved where submit() looks. */
function save(lastCell: string, fill = true): string {
  const nb: any = fill
    ? buildNotebook(loadExerciseSet(S), true)
    : JSON.parse(fs.readFileSync(path.join(root, "notebooks", `${S}.ipynb`), "utf8"));
  nb.cells[nb.cells.length - 1].source = [lastCell];
  const file = path.join(notebooks, `${S}.ipynb`);
  fs.writeFileSync(file, notebookJson(nb));
  return file;
}

test("the release's last cell is `await submit()`, and the release names the service", () => {
  const nb = JSON.parse(fs.readFileSync(path.join(notebooks, `${S}.ipynb`), "utf8"));
  expect(nb.cells[nb.cells.length - 1].source.join("")).toBe('import { submit } from "./course";\nawait submit();');
  expect(JSON.parse(fs.readFileSync(path.join(notebooks, "course", "submit.json"), "utf8"))).toEqual({
    server: svc.url,
  });
  expect(fs.readFileSync(path.join(release, "README.md"), "utf8")).toContain(`grading service (${svc.url})`);
});

test("the first submission asks for email and token (a password box), shows queued / grading live, then the table, the total and the best", () => {
  const file = save(SUBMIT);
  const { nb, last, inputs } = runNotebook(file, {}, [ada.email, ada.token]);
  expect(inputs).toEqual([
    { prompt: expect.stringMatching(/email/), password: false },
    { prompt: expect.stringMatching(/token/), password: true },
  ]);
  const outputs = lastOutputs(nb);
  expect(text(outputs)).toMatch(/Sending 01-single-unit-gd\.ipynb as saved at .* to http:\/\/127\.0\.0\.1:\d+\./);
  // One display, updated in place: waiting lines first, the table last.
  const displays = last.filter((m) => m.type === "display_data" || m.type === "update_display_data");
  expect(new Set(displays.map((d) => d.display_id)).size).toBe(1);
  expect(displays[0].text).toMatch(/^(⏳ queued|⚙ grading)/);
  expect(displays.length).toBeGreaterThanOrEqual(2);
  const final = outputs.find((o: any) => o.output_type === "display_data");
  const table = [].concat(final.data["text/html"]).join("");
  expect(table).toContain("<th");
  expect(table).toMatch(/Part Name.*Score.*Feedback/s);
  expect(table).toMatch(/✓ sigmoid<\/td><td[^>]*>15 \/ 15/);
  expect(table).toContain("This submission: 100 / 100");
  expect(table).toContain("best so far: 100 / 100");
  expect([].concat(final.data["text/plain"]).join("")).toMatch(/Total\s+100 \/ 100/);
  // The token was saved beside the notebooks, readable by its owner only.
  const saved = path.join(notebooks, ".submit-token.json");
  expect(fs.statSync(saved).mode & 0o777).toBe(0o600);
  // Neither the notebook sent nor the notebook as the UI would save it holds the token.
  expect(fs.readFileSync(file, "utf8")).not.toContain(ada.token);
  expect(JSON.stringify(nb)).not.toContain(ada.token);
});

test("later submissions reuse the saved token and say whose it is; only the best score counts", async () => {
  const file = save(SUBMIT, false);
  const { nb, inputs } = runNotebook(file);
  expect(inputs).toEqual([]);
  const outputs = lastOutputs(nb);
  expect(text(outputs)).toContain(`Using the token of ${ada.email} saved at your last successful submission`);
  expect(html(outputs)).toContain("This submission: 0 / 100");
  expect(html(outputs)).toContain("best so far: 100 / 100");
  const mine = await call(`${svc.url}/api/submissions`, { headers: basic(ada) });
  expect(mine.body.submissions.map((s: any) => s.result.score)).toEqual([0, 100]);
});

test("a notebook with cells run since it was saved is not sent: save first, in one sentence", async () => {
  // What is on disk is the stub; what the kernel runs is the filled notebook (its cells were never saved).
  save(`import { submit } from "./course";\nawait submit();`, false);
  const running = path.join(notebooks, ".unsaved-run.ipynb");
  const nb: any = buildNotebook(loadExerciseSet(S), true);
  fs.writeFileSync(running, notebookJson(nb));
  try {
    const before = (await call(`${svc.url}/api/submissions`, { headers: basic(ada) })).body.submissions.length;
    const out = text(lastOutputs(runNotebook(running).nb));
    expect(out).toMatch(
      /✗ 01-single-unit-gd\.ipynb was saved .* ago, before \d+ cells you ran: save it \(Ctrl\+S \/ ⌘S\) and run this cell again/,
    );
    expect((await call(`${svc.url}/api/submissions`, { headers: basic(ada) })).body.submissions.length).toBe(before);
  } finally {
    fs.rmSync(running, { force: true });
  }
});

test("Run All does not submit: the last cell says to run it by itself, and nothing is sent", async () => {
  save(SUBMIT);
  const before = (await call(`${svc.url}/api/submissions`, { headers: basic(ada) })).body.submissions.length;
  const log = path.join(jupyterPath, "run-all.json");
  const r = spawnSync(
    "/usr/bin/python3",
    [
      path.join(root, "test", "fixtures", "run_all.py"),
      path.join(notebooks, `${S}.ipynb`),
      log,
      notebooks,
      String(Math.round(600 * timeScale())),
    ],
    { encoding: "utf8", env: { ...process.env, JUPYTER_PATH: jupyterPath } },
  );
  if (r.status !== 0) throw new Error(`Run All failed:\n${r.stderr}`);
  const cells: { status: string; text: string }[] = JSON.parse(fs.readFileSync(log, "utf8")).cells;
  expect(cells.map((c) => c.status)).toEqual(cells.map(() => "ok"));
  expect(cells.at(-1)!.text).toMatch(
    /Not sent: this cell ran with others in one go \(Run All.*run this cell by itself/,
  );
  expect((await call(`${svc.url}/api/submissions`, { headers: basic(ada) })).body.submissions.length).toBe(before);
});

test("a token written in the cell is refused by submit(), and a notebook holding the sender's token by the service", async () => {
  const file = save(
    `import { submit } from "./course";\nawait submit({ email: "${ada.email}", token: "${ada.token}" });`,
  );
  const before = (await call(`${svc.url}/api/submissions`, { headers: basic(ada) })).body.submissions.length;
  expect(text(lastOutputs(runNotebook(file).nb))).toMatch(/✗ a token written in a notebook is sent and kept with it/);
  const sent = await call(`${svc.url}/api/submissions?section=${S}`, {
    method: "POST",
    headers: { ...basic(ada), "Content-Type": "application/x-ipynb+json" },
    body: fs.readFileSync(file),
  });
  expect([sent.status, sent.body.error]).toEqual([400, expect.stringMatching(/^this notebook contains your token/)]);
  expect((await call(`${svc.url}/api/submissions`, { headers: basic(ada) })).body.submissions.length).toBe(before);
});

test("without a saved token, a client that cannot answer input is told where to run the cell; a wrong token is one sentence", () => {
  const file = save(SUBMIT);
  const none = { COURSE_TOKEN_FILE: path.join(jupyterPath, "no-token.json") };
  expect(text(lastOutputs(runNotebook(file, none).nb))).toMatch(
    /✗ no token saved for http:\/\/127\.0\.0\.1:\d+ yet: run this cell in Jupyter/,
  );
  const wrong = lastOutputs(runNotebook(file, none, [ada.email, "wrong"]).nb);
  expect(text(wrong)).toMatch(/✗ not submitted: this email and token do not match a learner of this course/);
  expect(fs.existsSync(none.COURSE_TOKEN_FILE)).toBe(false);
  const unreachable = lastOutputs(
    runNotebook(file, { COURSE_SERVER: "http://127.0.0.1:9" }, [ada.email, ada.token]).nb,
  );
  expect(text(unreachable)).toMatch(
    /✗ cannot reach the grading service at http:\/\/127\.0\.0\.1:9 \(.+\): check your connection/,
  );
  for (const o of [...wrong, ...unreachable]) expect(o.output_type).not.toBe("error");
});

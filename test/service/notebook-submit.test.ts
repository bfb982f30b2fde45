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
}
/** Runs `input` (a file in the release's notebooks/) with nbclient; the last cell's outputs and messages. */
function runNotebook(input: string, env: NodeJS.ProcessEnv = {}): Logged {
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
    ],
    { encoding: "utf8", env: { ...process.env, JUPYTER_PATH: jupyterPath, ...env } },
  );
  if (r.status !== 0) throw new Error(`the notebook run failed:\n${r.stderr}`);
  const nb = JSON.parse(fs.readFileSync(out, "utf8"));
  const cells = JSON.parse(fs.readFileSync(log, "utf8")).cells;
  return { nb, last: cells[String(nb.cells.length - 1)]?.messages ?? [] };
}
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

test("the first submission, with email and token, shows queued / grading live, then the table, the total and the best", () => {
  const file = save(
    `import { submit } from "./course";\nawait submit({ email: "${ada.email}", token: "${ada.token}" });`,
  );
  const { nb, last } = runNotebook(file);
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
});

test("later submissions reuse the saved token and say whose it is; only the best score counts", async () => {
  const file = save(`import { submit } from "./course";\nawait submit();`, false);
  const { nb } = runNotebook(file);
  const outputs = lastOutputs(nb);
  expect(text(outputs)).toContain(`Using the token of ${ada.email} from your last successful submission`);
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

test("a service that cannot be reached, and a wrong token, each give one sentence and no stack trace", () => {
  const file = save(`import { submit } from "./course";\nawait submit({ email: "${ada.email}", token: "wrong" });`);
  const wrong = lastOutputs(runNotebook(file).nb);
  expect(text(wrong)).toMatch(/✗ not submitted: this email and token do not match a learner of this course/);
  const down = save(
    `import { submit } from "./course";\nawait submit({ email: "${ada.email}", token: "${ada.token}" });`,
  );
  const unreachable = lastOutputs(runNotebook(down, { COURSE_SERVER: "http://127.0.0.1:9" }).nb);
  expect(text(unreachable)).toMatch(
    /✗ cannot reach the grading service at http:\/\/127\.0\.0\.1:9 \(.+\): check your connection/,
  );
  for (const o of [...wrong, ...unreachable]) expect(o.output_type).not.toBe("error");
});

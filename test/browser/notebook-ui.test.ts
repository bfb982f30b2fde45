// A learner in a real notebook UI: Debian's Jupyter Notebook 6 (jupyter-notebook) in Chromium with the
// course's kernel, on the release a learner downloads, submitting to a real grading service. Menus are
// clicked and keys pressed as a person would; the page's Jupyter object is only read (is every cell
// done, is the notebook saved). Screenshots are kept in a temp folder (printed).
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { chromium, type Browser, type Page } from "playwright-core";
import { buildNotebook, buildRelease, notebookJson } from "../../grader/authoring";
import { timeScale } from "../../grader/isolation";
import { loadExerciseSet } from "../../grader/sections";
import { writeKernelSpec } from "../../notebooks/kernel/install.js";
import { startHogs } from "../fairness/set";
import { freePort } from "../service/servers";
import { addLearners, basic, call, killAll, startService, tmpDir, type Creds, type Service } from "../service/harness";

const NOTEBOOK_SERVER = "/usr/bin/jupyter-notebook";
const CHROMIUM = "/usr/bin/chromium";
const root = path.join(__dirname, "..", "..");
const shots = tmpDir("course-notebook-ui-");
const token = "ui-test-token";
const minutes = (n: number) => n * 60_000 * timeScale();
let svc: Service, ada: Creds, notebooks: string, jupyter: ChildProcess, url: string, browser: Browser;

beforeAll(async () => {
  for (const f of [NOTEBOOK_SERVER, CHROMIUM])
    if (!fs.existsSync(f)) throw new Error(`no ${f}: npm run setup installs Debian's jupyter-notebook and chromium`);
  svc = await startService({ args: ["--jobs", "1"] });
  [ada] = await addLearners(svc.data, [{ email: "ada@example.org", name: "Ada Lovelace" }]);
  const release = path.join(tmpDir("course-ui-release-"), "release");
  buildRelease(release, { server: svc.url });
  fs.symlinkSync(path.join(root, "node_modules"), path.join(release, "node_modules"));
  notebooks = path.join(release, "notebooks");
  // The solved notebooks, as a learner who has done the work has them.
  for (const s of ["01-single-unit-gd", "05-mnist"])
    fs.writeFileSync(path.join(notebooks, `${s}.ipynb`), notebookJson(buildNotebook(loadExerciseSet(s), true)));

  const home = tmpDir("course-ui-jupyter-");
  writeKernelSpec(path.join(home, "path"));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(shots, "jupyter-notebook.log"), "w");
  jupyter = spawn(
    NOTEBOOK_SERVER,
    [
      "--no-browser",
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--port-retries=0",
      `--NotebookApp.token=${token}`,
      `--notebook-dir=${notebooks}`,
    ],
    {
      stdio: ["ignore", log, log],
      env: {
        ...process.env,
        JUPYTER_PATH: path.join(home, "path"),
        JUPYTER_CONFIG_DIR: path.join(home, "config"),
        JUPYTER_DATA_DIR: path.join(home, "data"),
        JUPYTER_RUNTIME_DIR: path.join(home, "runtime"),
      },
    },
  );
  for (let i = 0; ; i++) {
    const up = await fetch(`${url}/api/status?token=${token}`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (jupyter.exitCode !== null || i > 600)
      throw new Error(`jupyter-notebook did not start: ${fs.readFileSync(path.join(shots, "jupyter-notebook.log"))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
  process.stdout.write(`notebook UI: screenshots and the server's log in ${shots}\n`);
}, minutes(5));

afterAll(async () => {
  await browser?.close();
  if (jupyter && jupyter.exitCode === null) {
    const gone = new Promise((r) => jupyter.once("exit", r));
    jupyter.kill("SIGTERM"); // it shuts its kernels down
    await Promise.race([gone, new Promise((r) => setTimeout(r, 20_000))]);
    jupyter.kill("SIGKILL");
  }
  await svc?.stop();
  killAll();
});

/** Opens a notebook and waits for its kernel to be ready. */
async function open(name: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${url}/notebooks/${name}?token=${token}`);
  await page.waitForFunction(() => (window as any).Jupyter?.notebook?.kernel?.is_connected?.(), null, {
    timeout: minutes(2),
  });
  await page.waitForSelector("#kernel_indicator_icon.kernel_idle_icon", { timeout: minutes(2) });
  return { page, errors };
}

/** Kernel › Restart & Run All, confirmed in the dialog; resolves when every code cell has run. */
async function restartAndRunAll(page: Page, limit: number): Promise<void> {
  await page.click("#kernellink");
  await page.click("#restart_run_all > a");
  await page.click(".modal-dialog button.btn-danger");
  await page.waitForFunction(
    () => {
      const cells = (window as any).Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === "code");
      return cells.every((c: any) => typeof c.input_prompt_number === "number");
    },
    null,
    { timeout: limit, polling: 1000 },
  );
}

const cellText = (page: Page, index: number) =>
  page.evaluate((i) => {
    const cells = (window as any).Jupyter.notebook.get_cells();
    return (cells.at(i).element[0] as HTMLElement).querySelector(".output_wrapper")?.textContent ?? "";
  }, index);
const codeCells = (page: Page) =>
  page.evaluate(() => (window as any).Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === "code").length);

/** Saves with Ctrl+S as a learner does; resolves once the notebook says it is saved. */
async function save(page: Page): Promise<void> {
  await page.keyboard.press("Control+s");
  await page.waitForFunction(() => (window as any).Jupyter.notebook.dirty === false, null, { timeout: 30_000 });
  await page.waitForSelector("#notification_notebook:has-text('Notebook saved')", { timeout: 30_000 }).catch(() => {});
}

/** Clicks into the last cell and runs it by itself (Shift+Enter). */
async function runLastCell(page: Page): Promise<void> {
  await page.click(".cell.code_cell:last-child .CodeMirror");
  await page.keyboard.press("Shift+Enter");
}

const submissions = async () =>
  (await call(`${svc.url}/api/submissions`, { headers: basic(ada) })).body.submissions as { id: string }[];

const S1 = "01-single-unit-gd.ipynb";

test(
  "01: Restart & Run All completes every cell with its plots, and its submit cell sends nothing",
  async () => {
    const { page, errors } = await open(S1);
    await restartAndRunAll(page, minutes(5));
    const outputs = await page.$$eval(".output_area", (as) => as.map((a) => a.className + " " + a.textContent));
    expect(outputs.filter((o) => /output_error|Error:/.test(o))).toEqual([]);
    expect(
      await page.$$eval(
        ".output_png img",
        (imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 100).length,
      ),
    ).toBeGreaterThan(0);
    expect(await cellText(page, -1)).toMatch(/not sent: this cell ran with others in one go \(Run All/);
    expect(await submissions()).toEqual([]);
    await page.screenshot({ path: path.join(shots, "01-run-all.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  },
  minutes(8),
);

test(
  "01: the submit cell run by itself asks for email and token (a password box) and shows the table; no token is saved in the notebook",
  async () => {
    const { page, errors } = await open(S1);
    await restartAndRunAll(page, minutes(5));
    await save(page);
    await runLastCell(page);
    const email = await page.waitForSelector("input.raw_input", { timeout: minutes(1) });
    expect(await email.getAttribute("type")).toBe("text");
    await email.fill(ada.email);
    await email.press("Enter");
    const secret = await page.waitForSelector("input.raw_input[type=password]", { timeout: minutes(1) });
    await page.screenshot({ path: path.join(shots, "01-token-box.png") });
    await secret.fill(ada.token);
    await secret.press("Enter");
    await page.waitForSelector(".cell.code_cell:last-child .output_html table", { timeout: minutes(5) });
    await page.waitForFunction(
      () =>
        /This submission: 100 \/ 100/.test(
          document.querySelector(".cell.code_cell:last-child .output_wrapper")?.textContent ?? "",
        ),
      null,
      { timeout: minutes(5), polling: 500 },
    );
    const text = await cellText(page, -1);
    expect(text).toMatch(/Part Name.*Score.*Feedback/s);
    expect(text).toContain("best so far: 100 / 100");
    expect(text).not.toContain(ada.token);
    await page.screenshot({ path: path.join(shots, "01-submitted.png"), fullPage: true });
    // The learner saves with the table in it: the file holds no token.
    await save(page);
    expect(fs.readFileSync(path.join(notebooks, S1), "utf8")).not.toContain(ada.token);
    expect(fs.statSync(path.join(notebooks, ".submit-token.json")).mode & 0o777).toBe(0o600);
    expect(await submissions()).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  },
  minutes(12),
);

test(
  "01: a learner who edits and reruns a cell is asked to save first, and after Ctrl+S the submission is accepted",
  async () => {
    const { page, errors } = await open(S1);
    const n = await codeCells(page);
    // Edit the first code cell as a learner would (a comment), and run it.
    await page.click(".cell.code_cell .CodeMirror >> nth=0");
    await page.keyboard.press("Control+End");
    await page.keyboard.type("\n// tried it once more");
    const before = await page.evaluate(() =>
      (window as any).Jupyter.notebook.get_cells().map((c: any) => c.input_prompt_number ?? 0),
    );
    await page.keyboard.press("Shift+Enter");
    // The edited cell has run when its In [n] is a new number.
    await page.waitForFunction(
      (seen) => {
        const c = (window as any).Jupyter.notebook.get_cells().find((x: any) => x.cell_type === "code");
        return typeof c.input_prompt_number === "number" && c.input_prompt_number > Math.max(...seen);
      },
      before,
      { timeout: minutes(2), polling: 500 },
    );
    await runLastCell(page);
    await page.waitForFunction(
      () =>
        /save it \(Ctrl\+S/.test(
          document.querySelector(".cell.code_cell:last-child .output_wrapper")?.textContent ?? "",
        ),
      null,
      { timeout: minutes(2), polling: 500 },
    );
    expect(await submissions()).toHaveLength(1);
    await save(page);
    await runLastCell(page);
    await page.waitForFunction(
      () =>
        /best so far: 100 \/ 100/.test(
          document.querySelector(".cell.code_cell:last-child .output_wrapper")?.textContent ?? "",
        ),
      null,
      { timeout: minutes(5), polling: 500 },
    );
    expect(await page.$$("input.raw_input")).toHaveLength(0); // the saved token, no question
    expect(await cellText(page, -1)).toContain("Using the token of ada@example.org");
    expect(await submissions()).toHaveLength(2);
    expect(n).toBeGreaterThan(5);
    await page.screenshot({ path: path.join(shots, "01-edited-submitted.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  },
  minutes(10),
);

test(
  "05: Restart & Run All beside 2 CPU hogs per core completes every cell: training's progress line, the plots, no submission",
  async () => {
    const { page, errors } = await open("05-mnist.ipynb");
    const hogs = startHogs(2, 1200);
    try {
      await restartAndRunAll(page, minutes(20));
    } finally {
      hogs.stop();
    }
    const outputs = await page.$$eval(".output_area", (as) => as.map((a) => a.className + " " + a.textContent));
    expect(outputs.filter((o) => /output_error|Error:/.test(o))).toEqual([]);
    expect(outputs.some((o) => /iteration 500\/500/.test(o))).toBe(true);
    expect(
      await page.$$eval(
        ".output_png img",
        (imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 100).length,
      ),
    ).toBeGreaterThanOrEqual(2);
    expect(await cellText(page, -1)).toMatch(/not sent: this cell ran with others in one go/);
    expect(await submissions()).toHaveLength(2);
    await page.screenshot({ path: path.join(shots, "05-run-all.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  },
  minutes(25),
);

// A learner in a real notebook UI: Debian's Jupyter Notebook 6 (jupyter-notebook) in Chromium with the
// course's kernel, on the release a learner downloads, submitting to a real grading service. Menus are
// clicked and keys pressed as a person would; the page's Jupyter object is only read (is every cell
// done, is the notebook saved). Screenshots are kept in a temp folder (printed).
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { Browser, Page } from "playwright-core";
import { buildNotebook, buildRelease, notebookJson } from "../../grader/authoring";
import { timeScale } from "../../grader/isolation";
import { loadExerciseSet } from "../../grader/sections";
import { writeKernelSpec } from "../../notebooks/kernel/install.js";
import { startHogs } from "../fairness/set";
import { launchChromium } from "../service/browser";
import { freePort } from "../service/servers";
import { addLearners, basic, call, killAll, startService, tmpDir, type Creds, type Service } from "../service/harness";

const NOTEBOOK_SERVER = "/usr/bin/jupyter-notebook";
const root = path.join(__dirname, "..", "..");
const shots = tmpDir("course-notebook-ui-");
const token = "ui-test-token";
const minutes = (n: number) => n * 60_000 * timeScale();
let svc: Service, ada: Creds, notebooks: string, jupyter: ChildProcess, url: string, browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(NOTEBOOK_SERVER))
    throw new Error(`no ${NOTEBOOK_SERVER}: npm run setup installs Debian's jupyter-notebook`);
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
      // CI runs as root here; the server is on loopback with a token.
      ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
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
  browser = await launchChromium();
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
  // Counted from the notebook's own events (each code cell's last output), not from In [n]: a second
  // run starts with every cell numbered by the first.
  await page.evaluate(() => {
    const w = window as any;
    w.__finished = 0;
    w.Jupyter.notebook.events.off("finished_execute.CodeCell.test");
    w.Jupyter.notebook.events.on("finished_execute.CodeCell.test", () => w.__finished++);
  });
  await page.click("#kernellink");
  await page.click("#restart_run_all > a");
  await page.click(".modal-dialog button.btn-danger");
  await page.waitForFunction(
    () => {
      const w = window as any;
      return w.__finished >= w.Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === "code").length;
    },
    null,
    { timeout: limit, polling: 1000 },
  );
}

/** What the notebook shows: each output area's class and text, and how many plots were drawn. */
async function shown(page: Page): Promise<{ outputs: string[]; plots: number }> {
  return {
    outputs: await page.$$eval(".output_area", (as) => as.map((a) => a.className + " " + a.textContent)),
    plots: await page.$$eval(
      ".output_png img",
      (imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 100).length,
    ),
  };
}

/** The text of the outputs of the cell that calls submit(). */
const submitText = (page: Page) =>
  page.evaluate(() => {
    const cell = (window as any).Jupyter.notebook.get_cells().find((c: any) => c.get_text().includes("await submit("));
    return (cell.element[0] as HTMLElement).querySelector(".output_wrapper")?.textContent ?? "";
  });
/** Waits until the submit cell's outputs match `re`. */
const waitForSubmitText = (page: Page, re: RegExp, limit: number) =>
  page.waitForFunction(
    ([source, flags]) => {
      const cell = (window as any).Jupyter.notebook
        .get_cells()
        .find((c: any) => c.get_text().includes("await submit("));
      const text = (cell.element[0] as HTMLElement).querySelector(".output_wrapper")?.textContent ?? "";
      return new RegExp(source, flags).test(text);
    },
    [re.source, re.flags],
    { timeout: limit, polling: 500 },
  );
const codeCells = (page: Page) =>
  page.evaluate(() => (window as any).Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === "code").length);

/**
 * Saves as a learner does, with Ctrl+S or the toolbar's Save button; resolves once the file on disk
 * is newer and the page says saved.
 */
async function save(page: Page, file: string, how: "keys" | "button" = "keys"): Promise<void> {
  const before = fs.statSync(file).mtimeMs;
  if (how === "keys") await page.keyboard.press("Control+s");
  else await page.click("#save-notbook button");
  for (let i = 0; fs.statSync(file).mtimeMs === before; i++) {
    if (i > 600) throw new Error(`Ctrl+S did not save ${file}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await page.waitForFunction(() => (window as any).Jupyter.notebook.dirty === false, null, { timeout: 30_000 });
}

/** Clicks into the submit cell and runs it by itself (Shift+Enter, as the notebook's text says). */
async function runSubmitCell(page: Page): Promise<void> {
  const index = await page.evaluate(() =>
    (window as any).Jupyter.notebook.get_cells().findIndex((c: any) => c.get_text().includes("await submit(")),
  );
  await page.locator(".cell").nth(index).locator(".CodeMirror").click();
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
    const { outputs, plots } = await shown(page);
    expect(outputs.filter((o) => /output_error|Error:/.test(o))).toEqual([]);
    expect(plots).toBeGreaterThan(0);
    expect(await submitText(page)).toMatch(/Not sent: this cell ran with others in one go \(Run All/);
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
    await save(page, path.join(notebooks, S1));
    await runSubmitCell(page);
    const email = await page.waitForSelector("input.raw_input", { timeout: minutes(1) });
    expect(await email.getAttribute("type")).toBe("text");
    await email.fill(ada.email);
    await email.press("Enter");
    const secret = await page.waitForSelector("input.raw_input[type=password]", { timeout: minutes(1) });
    await page.screenshot({ path: path.join(shots, "01-token-box.png") });
    await secret.fill(ada.token);
    await secret.press("Enter");
    await waitForSubmitText(page, /This submission: 100 \/ 100/, minutes(5));
    const text = await submitText(page);
    expect(text).toMatch(/Part Name.*Score.*Feedback/s);
    expect(text).toContain("best so far: 100 / 100");
    expect(text).not.toContain(ada.token);
    await page.screenshot({ path: path.join(shots, "01-submitted.png"), fullPage: true });
    // The learner saves with the table in it (the toolbar's button: the input box that had the
    // keyboard's focus is gone): the file holds no token.
    await save(page, path.join(notebooks, S1), "button");
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
    await runSubmitCell(page);
    await waitForSubmitText(page, /save it \(Ctrl\+S/, minutes(2));
    expect(await submissions()).toHaveLength(1);
    await save(page, path.join(notebooks, S1));
    await runSubmitCell(page);
    await waitForSubmitText(page, /Using the token of ada@example\.org[\s\S]*best so far: 100 \/ 100/, minutes(5));
    expect(await page.$$("input.raw_input")).toHaveLength(0); // the saved token, no question
    expect(await submitText(page)).toContain("Using the token of ada@example.org");
    expect(await submissions()).toHaveLength(2);
    expect(n).toBeGreaterThan(5);
    await page.screenshot({ path: path.join(shots, "01-edited-submitted.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  },
  minutes(10),
);

test(
  "05: Restart & Run All completes every cell, idle and beside 2 CPU hogs per core: training's progress line, the plots, no submission",
  async () => {
    const { page, errors } = await open("05-mnist.ipynb");
    const expectComplete = async (shot: string) => {
      const { outputs, plots } = await shown(page);
      expect(outputs.filter((o) => /output_error|Error:/.test(o))).toEqual([]);
      expect(outputs.some((o) => /iteration 500\/500/.test(o))).toBe(true);
      expect(outputs.some((o) => /iteration 100\/100/.test(o))).toBe(true); // fmincg
      expect(plots).toBeGreaterThanOrEqual(2);
      expect(await submitText(page)).toMatch(/Not sent: this cell ran with others in one go/);
      await page.screenshot({ path: path.join(shots, shot), fullPage: true });
    };
    await restartAndRunAll(page, minutes(10));
    await expectComplete("05-run-all.png");
    const hogs = startHogs(2, 1200);
    try {
      await restartAndRunAll(page, minutes(20));
    } finally {
      hogs.stop();
    }
    await expectComplete("05-run-all-loaded.png");
    expect(await submissions()).toHaveLength(2);
    expect(errors).toEqual([]);
    await page.close();
  },
  minutes(30),
);

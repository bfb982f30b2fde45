// Executes the notebooks through a real Jupyter (nbconvert + jupyter_client) with the tslab kernel.
// Needs Debian's jupyter packages (installed by .ci/run); fails with instructions when absent.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildNotebook, notebookJson } from "../grader/notebook-build";
import { timeScale } from "../grader/time-scale";
import { backend } from "../notebooks/course/matmul";
import { writeKernelSpec } from "../notebooks/kernel/install";
import { variants } from "./helpers";

const root = path.join(__dirname, "..");
const jupyter = "/usr/bin/jupyter";
const jupyterPath = fs.mkdtempSync(path.join(os.tmpdir(), "course-jupyter-"));
// Section 05's notebook trains 784-200-10 for 500 iterations: seconds with a BLAS, most of an hour
// on the TypeScript fallback. Without one, its filled runs are skipped, saying what is missing.
const blas = backend();
if (blas.name !== "native") process.stderr.write(`jupyter.test: the filled MNIST notebook runs are skipped: ${blas.detail}\n`);
const withBlas = blas.name === "native" ? test : test.skip;
const needsBlas = (section: string) => (section === "05-mnist" ? withBlas : test);

beforeAll(() => {
  if (!fs.existsSync(jupyter)) throw new Error("no /usr/bin/jupyter: npm run setup installs Debian's Jupyter (python3-nbclient jupyter-client jupyter-nbconvert python3-ipython)");
  writeKernelSpec(jupyterPath); // the course's kernel, which the notebooks' metadata names
});

/** Runs a notebook (placed in notebooks/, where the kernel finds ./course) and returns its executed form. */
function execute(nb: object, name: string, allowErrors: boolean): any {
  const input = path.join(root, "notebooks", `.run-${name}.ipynb`);
  const output = path.join(jupyterPath, `${name}.out.ipynb`);
  fs.writeFileSync(input, notebookJson(nb));
  try {
    const args = ["nbconvert", "--to", "notebook", "--execute", `--ExecutePreprocessor.timeout=${Math.round(900 * timeScale())}`, "--output", output, input];
    const r = spawnSync(jupyter, allowErrors ? [...args, "--allow-errors"] : args, { encoding: "utf8", env: { ...process.env, JUPYTER_PATH: jupyterPath } });
    if (r.status !== 0) throw new Error(`nbconvert failed:\n${r.stderr}`);
    return JSON.parse(fs.readFileSync(output, "utf8"));
  } finally {
    fs.rmSync(input, { force: true });
  }
}
/** Each notebook is executed once, as handed out ("stub") or with the solutions filled in, and shared by the tests. */
const runs = new Map<string, any>();
function executed(section: string, kind: "filled" | "stub"): any {
  const key = `${section}-${kind}`;
  if (!runs.has(key)) {
    const nb = kind === "filled" ? buildNotebook(variants(section).set, true) : JSON.parse(fs.readFileSync(path.join(root, "notebooks", `${section}.ipynb`), "utf8"));
    runs.set(key, execute(nb, key, kind === "stub"));
  }
  return runs.get(key);
}
const stream = (cell: any, name = "stdout") => (cell.outputs ?? []).filter((o: any) => o.output_type === "stream" && o.name === name).map((o: any) => [].concat(o.text).join("")).join("");
const allText = (nb: any) => nb.cells.map((c: any) => stream(c)).join("");
const checkCells = (nb: any) => nb.cells.filter((c: any) => c.cell_type === "code" && /^check\("/.test([].concat(c.source).join("")));
const svgs = (nb: any) => nb.cells.flatMap((c: any) => c.outputs ?? []).filter((o: any) => o.data?.["image/svg+xml"]).map((o: any) => [].concat(o.data["image/svg+xml"]).join(""));

describe.each([
  ["01-single-unit-gd", ["σ′(h)"]],
  ["02-admissions", ["school rank", "Training MSE"]],
  ["03-not-network", ["training-set cost over (w, b)"]],
  ["04-relu-2-3-1", ["Weight from x₁ into each hidden unit"]],
  ["05-mnist", ["The first 100 training digits", "Training cost per iteration", "Confusion matrix (test set)", "Misclassified test digits"]],
])("notebook %s", (section, plotTexts) => {
  const v = variants(section);

  needsBlas(section)("runs top to bottom in Jupyter with the solutions filled in: every public check ✓, every plot drawn", () => {
    const filled = executed(section, "filled");
    const checks = checkCells(filled);
    expect(checks).toHaveLength(v.set.parts.length);
    for (const c of checks) expect(stream(c)).toMatch(/^✓ [\w.]+: ((\d+)\/\2 public checks pass|answered)/);
    const plots = svgs(filled);
    expect(plots).toHaveLength(plotTexts.length);
    plotTexts.forEach((t, i) => expect(plots[i]).toContain(t));
  });

  test("runs top to bottom as handed out: every check ✗ with a hint, no cell fails", () => {
    const out = executed(section, "stub");
    for (const c of checkCells(out)) expect(stream(c)).toMatch(/^✗ [\w.]+: (0\/\d+ public checks pass[\s\S]*not implemented yet[\s\S]*hint: |not answered yet)/);
    for (const c of out.cells.filter((c: any) => c.cell_type === "code")) {
      const err = stream(c, "stderr");
      expect(err).toBe("");
    }
    expect(out.cells.flatMap((c: any) => c.outputs ?? []).filter((o: any) => o.output_type === "error")).toEqual([]);
  });
});

test("the admissions notebook prints the course's published numbers exactly", () => {
  const text = allText(executed("02-admissions", "filled"));
  for (const line of [
    "epoch    0  Train loss: 0.2627609385\n", "epoch  900  Train loss: 0.197030058018\n",
    "epoch    0  Train loss: 0.251357252426\n", "epoch  810  Train loss: 0.240400679325\n",
    "Hidden-layer output: 0.41492192 0.42604313 0.50024340\n", "Output-layer output: 0.49815196 0.48539772\n",
    "Change in weights for hidden layer to output layer: 0.00804047 0.00555918\n",
  ]) expect(text).toContain(line);
  expect(text.match(/^Prediction accuracy: 0\.725$/gm)).toHaveLength(2);
});

test("the admissions notebook as handed out names the unwritten function in each demonstration cell", () => {
  const skips = allText(executed("02-admissions", "stub")).match(/^\(skipped: this cell runs once `\w+` is written\)$/gm) ?? [];
  expect(skips.length).toBeGreaterThanOrEqual(5);
  expect(skips[0]).toContain("`prepareAdmissions`");
});

test("the ReLU notebook prints the course's test predictions and shows the symmetry", () => {
  const text = allText(executed("04-relu-2-3-1", "filled"));
  for (const line of ["(1, 1) → 7.0385", "(2, 2) → 14.0428", "(3, 3) → 21.0472", "(5, 5) → 35.0559", "(10, 10) → 70.0777"]) expect(text).toContain(line);
  expect(text).toContain("fixed start, W after training: [[1.0475,1.0614],[1.0475,1.0614],[1.0475,1.0614]]");
  const random = /random start, W after training: (.*)/.exec(text)![1];
  expect(new Set(JSON.parse(random).map((row: number[]) => row.join())).size).toBe(3);
});

test("the NOT notebook's descent lowers the training-set cost", () => {
  const m = /cost (\d\.\d+) at the start, (\d\.\d+) after 60 steps/.exec(allText(executed("03-not-network", "filled")))!;
  expect(Number(m[2])).toBeLessThan(Number(m[1]) / 10);
});

withBlas("the MNIST notebook trains 784-200-10 past the graded accuracies, with progress that does not flood", () => {
  const text = allText(executed("05-mnist", "filled"));
  expect(text).toMatch(/^matrix products: native BLAS \(libopenblas/m);
  const [, train, test] = /^accuracy: training (\d+\.\d) %, test (\d+\.\d) %$/m.exec(text)!.map(Number);
  expect([train > 90, test > 85]).toEqual([true, true]);
  const progress = text.match(/^iteration +\d+\/500 +cost \d\.\d{5} +\d+\.\d s$/gm)!;
  expect([progress.length, progress[0].startsWith("iteration   1/500"), progress[progress.length - 1].startsWith("iteration 500/500")]).toEqual([11, true, true]);
});

withBlas("the MNIST notebook reproduces ex4's regularization term and passes the gradient check with and without λ", () => {
  const text = allText(executed("05-mnist", "filled"));
  expect(text).toContain("regularization term: 0.096141 (the course: 0.383770 − 0.287629 = 0.096141)");
  expect(text.match(/^nnCostFunction, λ = [03]: relative difference \d\.\d\de-1[0-9] ✓ under 1e-9$/gm)).toHaveLength(2);
  expect(Number(/^doubledGradientCost: relative difference (\d\.\d+)/m.exec(text)![1])).toBeGreaterThan(0.3);
  expect(Number(/^784-25-10: training accuracy (\d+\.\d) %/m.exec(text)![1])).toBeGreaterThan(75);
});

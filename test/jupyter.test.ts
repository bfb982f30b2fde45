// Executes the notebooks through a real Jupyter (nbconvert + jupyter_client) with the tslab kernel.
// Needs Debian's jupyter packages (installed by .ci/run); fails with instructions when absent.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildNotebook, notebookJson } from "../grader/notebook-build";
import { set, section } from "./helpers";

const root = path.join(__dirname, "..");
const jupyter = "/usr/bin/jupyter";
const jupyterPath = fs.mkdtempSync(path.join(os.tmpdir(), "course-jupyter-"));

beforeAll(() => {
  if (!fs.existsSync(jupyter)) throw new Error("no /usr/bin/jupyter: apt-get install python3-nbclient jupyter-client jupyter-nbconvert python3-ipython (see .ci/run)");
  const dir = path.join(jupyterPath, "kernels", "tslab");
  fs.mkdirSync(dir, { recursive: true });
  const argv = [path.join(root, "node_modules", ".bin", "tslab"), "kernel", "--config-path", "{connection_file}"];
  fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify({ argv, display_name: "TypeScript", language: "typescript" }));
});

/** Runs a notebook (placed in notebooks/, where the kernel finds ./course) and returns its executed form. */
function execute(nb: object, name: string, allowErrors: boolean): any {
  const input = path.join(root, "notebooks", `.run-${name}.ipynb`);
  const output = path.join(jupyterPath, `${name}.out.ipynb`);
  fs.writeFileSync(input, notebookJson(nb));
  try {
    const args = ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=120", "--output", output, input];
    const r = spawnSync(jupyter, allowErrors ? [...args, "--allow-errors"] : args, { encoding: "utf8", env: { ...process.env, JUPYTER_PATH: jupyterPath } });
    if (r.status !== 0) throw new Error(`nbconvert failed:\n${r.stderr}`);
    return JSON.parse(fs.readFileSync(output, "utf8"));
  } finally {
    fs.rmSync(input, { force: true });
  }
}
const text = (cell: any) => cell.outputs.filter((o: any) => o.output_type === "stream").map((o: any) => [].concat(o.text).join("")).join("");
const checkCells = (nb: any) => nb.cells.filter((c: any) => c.cell_type === "code" && /^check\("/.test([].concat(c.source).join("")));

test("the solution-filled notebook runs top to bottom in Jupyter with every public check ✓ and a plot", () => {
  const out = execute(buildNotebook(set, true), "filled", false);
  const checks = checkCells(out);
  expect(checks).toHaveLength(set.parts.length);
  for (const c of checks) expect(text(c)).toMatch(/^✓ \w+: (\d+)\/\1 public checks pass/);
  const svg = out.cells.flatMap((c: any) => c.outputs ?? []).filter((o: any) => o.data?.["image/svg+xml"]);
  expect(svg).toHaveLength(1);
  expect([].concat(svg[0].data["image/svg+xml"]).join("")).toContain("σ′(h)");
});

test("the student notebook runs top to bottom in Jupyter: no cell errors, every check ✗ with a hint", () => {
  const out = execute(JSON.parse(fs.readFileSync(path.join(root, "notebooks", `${section}.ipynb`), "utf8")), "stub", true);
  const errors = out.cells.flatMap((c: any) => c.outputs ?? []).filter((o: any) => o.output_type === "error" || o.name === "stderr");
  expect(errors).toEqual([]);
  for (const c of checkCells(out)) expect(text(c)).toMatch(/^✗ \w+: 0\/\d+ public checks pass[\s\S]*not implemented yet[\s\S]*hint: /);
});

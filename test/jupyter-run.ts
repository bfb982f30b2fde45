// Runs notebooks through a real Jupyter (Debian's nbclient) with the course's kernel, registered in a
// Jupyter path of the run's own: what test/jupyter.test.ts and the variants' test execute.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { notebookJson } from "../grader/authoring";
import { timeScale } from "../grader/isolation";
import { writeKernelSpec } from "../notebooks/kernel/install.js";

const root = path.join(__dirname, "..");
const jupyter = "/usr/bin/jupyter";

export interface CellLog {
  messages: { type: string; display_id?: string; text?: string; t: number }[];
  reply: number | null;
}
export interface Run {
  nb: any;
  file: string;
  cells: Record<string, CellLog>;
}

/** A Jupyter path holding the course's kernel (which the notebooks' metadata names); throws saying how to install Jupyter when it is absent. */
export function jupyterWithKernel(): string {
  if (!fs.existsSync(jupyter))
    throw new Error(
      "no /usr/bin/jupyter: npm run setup installs Debian's Jupyter (python3-nbclient jupyter-client jupyter-nbconvert python3-ipython)",
    );
  const jupyterPath = fs.mkdtempSync(path.join(os.tmpdir(), "course-jupyter-"));
  writeKernelSpec(jupyterPath);
  return jupyterPath;
}

/** Runs a notebook (placed in notebooks/, where the kernel finds ./course) with nbclient, recording each cell's messages. */
export function execute(jupyterPath: string, nb: object, name: string, allowErrors: boolean): Run {
  const input = path.join(root, "notebooks", `.run-${name}.ipynb`);
  const [output, log] = [`${name}.out.ipynb`, `${name}.log.json`].map((f) => path.join(jupyterPath, f));
  fs.writeFileSync(input, notebookJson(nb));
  try {
    const args = [
      path.join(__dirname, "fixtures", "run_notebook.py"),
      input,
      output,
      log,
      path.join(root, "notebooks"),
      String(Math.round(900 * timeScale())),
      ...(allowErrors ? ["--allow-errors"] : []),
    ];
    const r = spawnSync("/usr/bin/python3", args, {
      encoding: "utf8",
      env: { ...process.env, JUPYTER_PATH: jupyterPath },
    });
    if (r.status !== 0) throw new Error(`the notebook run failed:\n${r.stderr}`);
    return {
      nb: JSON.parse(fs.readFileSync(output, "utf8")),
      file: output,
      cells: JSON.parse(fs.readFileSync(log, "utf8")).cells,
    };
  } finally {
    fs.rmSync(input, { force: true });
  }
}

/** What a code cell printed on one stream. */
export const stream = (cell: any, name = "stdout"): string =>
  (cell.outputs ?? [])
    .filter((o: any) => o.output_type === "stream" && o.name === name)
    .map((o: any) => [].concat(o.text).join(""))
    .join("");

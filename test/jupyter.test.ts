// Executes the notebooks through a real Jupyter (Debian's nbclient, jupyter_client and nbconvert) with
// the course's kernel. Needs Debian's Jupyter (npm run setup installs it); fails saying so when absent.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { buildNotebook } from "../grader/authoring";
import { backend } from "../notebooks/course/matmul";
import { variants } from "./helpers";
import { execute as run_, jupyterWithKernel, stream, type Run } from "./jupyter-run";

const root = path.join(__dirname, "..");
let jupyterPath: string;
// Section 05's notebook trains 784-200-10 for 500 iterations: seconds with a BLAS, most of an hour
// on the TypeScript fallback. Without one, its filled runs are skipped, saying what is missing.
const blas = backend();
if (blas.name !== "native")
  process.stderr.write(`jupyter.test: the filled MNIST notebook runs are skipped: ${blas.detail}\n`);
const withBlas = blas.name === "native" ? test : test.skip;
const needsBlas = (section: string) => (section === "05-mnist" ? withBlas : test);

beforeAll(() => {
  jupyterPath = jupyterWithKernel();
});
const execute = (nb: object, name: string, allowErrors: boolean): Run => run_(jupyterPath, nb, name, allowErrors);

/** Each notebook is executed once, as handed out ("stub") or with the solutions filled in, and shared by the tests. */
const runs = new Map<string, Run>();
function run(section: string, kind: "filled" | "stub"): Run {
  const key = `${section}-${kind}`;
  if (!runs.has(key)) {
    const nb =
      kind === "filled"
        ? buildNotebook(variants(section).set, true)
        : JSON.parse(fs.readFileSync(path.join(root, "notebooks", `${section}.ipynb`), "utf8"));
    runs.set(key, execute(nb, key, kind === "stub"));
  }
  return runs.get(key)!;
}
const executed = (section: string, kind: "filled" | "stub") => run(section, kind).nb;
const allText = (nb: any) => nb.cells.map((c: any) => stream(c)).join("");
const checkCells = (nb: any) =>
  nb.cells.filter((c: any) => c.cell_type === "code" && /^check\("/.test([].concat(c.source).join("")));
/** The plots: PNG displays, with their text (the plot's title). */
const plots = (nb: any) =>
  nb.cells
    .flatMap((c: any) => c.outputs ?? [])
    .filter((o: any) => o.data?.["image/png"])
    .map((o: any) => [].concat(o.data["text/plain"]).join(""));
const cellIndex = (nb: any, start: string) =>
  nb.cells.findIndex((c: any) => [].concat(c.source).join("").includes(start));

test("a cell that prints 2,000 lines and updates a display 2,000 times in one synchronous loop delivers all of it, and the next cell runs", () => {
  // zeromq.js sends 512 messages per turn of the event loop; past them, tslab's sends threw EBUSY and
  // the rest of the cell's output and its reply were lost, silently (notebooks/kernel/start.js).
  const code = (source: string) => ({
    cell_type: "code",
    metadata: {},
    execution_count: null,
    outputs: [],
    source: [source],
  });
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "nn-typescript", display_name: "Neural networks (TypeScript)", language: "typescript" },
    },
    cells: [
      code("for (let i = 0; i < 2000; i++) console.log(`line ${i}`);"),
      code(
        'import * as tslab from "tslab";\nconst d = tslab.newDisplay();\nfor (let i = 1; i <= 2000; i++) d.text(`step ${i} of 2000`);',
      ),
      code('console.log("the next cell ran");'),
    ],
  };
  const r = execute(nb, "many-sends", false);
  const lines = stream(r.nb.cells[0]).trimEnd().split("\n");
  expect([lines.length, lines[0], lines[1999]]).toEqual([2000, "line 0", "line 1999"]);
  const updates = r.cells["1"].messages.filter((m) => m.type === "update_display_data" || m.type === "display_data");
  expect(updates.length).toBe(2000);
  expect(updates.at(-1)!.text).toBe("step 2000 of 2000");
  expect(stream(r.nb.cells[2])).toBe("the next cell ran\n");
});

describe.each([
  ["01-single-unit-gd", ["σ and σ′"]],
  ["02-admissions", ["school rank", "Training MSE"]],
  ["03-not-network", ["training-set cost over (w, b)"]],
  ["04-relu-2-3-1", ["Weight from x₁ into each hidden unit"]],
  [
    "05-mnist",
    [
      "The first 100 training digits",
      "Training cost per iteration",
      "Confusion matrix (test set)",
      "Misclassified test digits",
    ],
  ],
])("notebook %s", (section, plotTexts) => {
  const v = variants(section);

  needsBlas(section)(
    "runs top to bottom in Jupyter with the solutions filled in: every public check ✓, every plot drawn",
    () => {
      const filled = executed(section, "filled");
      const checks = checkCells(filled);
      expect(checks).toHaveLength(v.set.parts.length);
      for (const c of checks) expect(stream(c)).toMatch(/^✓ [\w.]+: ((\d+)\/\2 public checks pass|answered)/);
      const shown = plots(filled);
      expect(shown).toHaveLength(plotTexts.length);
      plotTexts.forEach((t, i) => expect(shown[i]).toContain(t));
    },
  );

  test("runs top to bottom as handed out: every check ✗ with a hint, no cell fails", () => {
    const out = executed(section, "stub");
    for (const c of checkCells(out))
      expect(stream(c)).toMatch(
        /^✗ [\w.]+: (0\/\d+ public checks pass[\s\S]*not implemented yet[\s\S]*hint: |not answered yet)/,
      );
    for (const c of out.cells.filter((c: any) => c.cell_type === "code")) {
      const err = stream(c, "stderr");
      expect(err).toBe("");
    }
    expect(out.cells.flatMap((c: any) => c.outputs ?? []).filter((o: any) => o.output_type === "error")).toEqual([]);
  });
});

test("the course's kernel reports the language_info the notebooks carry, so Jupyter opens them unmodified", () => {
  // nbclient writes the kernel's kernel_info reply into the notebook it ran, as Jupyter does on open.
  const committed = JSON.parse(fs.readFileSync(path.join(root, "notebooks", "02-admissions.ipynb"), "utf8"));
  expect(executed("02-admissions", "stub").metadata.language_info).toEqual(committed.metadata.language_info);
});

test("a kernel started again answers the cells it ran from the conversions cache: no compiler, the same outputs, every check ✓", () => {
  const code = (source: string) => ({ cell_type: "code", metadata: {}, outputs: [], execution_count: null, source });
  const nb = buildNotebook(variants("01-single-unit-gd").set, true) as { cells: object[] };
  // A cell no kernel has converted before, so that the first run compiles; the last reports how cells were converted.
  nb.cells.push(code(`// run ${process.pid} ${Date.now()}\nconst seen = 1;`));
  nb.cells.push(code("console.log(JSON.stringify((globalThis as any).__courseKernel.conversions));"));
  const [first, second] = ["restart-1", "restart-2"].map((name) => execute(nb, name, false).nb);
  const cells = (out: any) => out.cells.filter((c: any) => c.cell_type === "code");
  const counts = (out: any) => JSON.parse(stream(cells(out).at(-1)));
  expect(counts(first).compiled).toBeGreaterThanOrEqual(1);
  expect(counts(second)).toEqual({ cached: cells(second).length, compiled: 0 });
  const shown = (out: any) =>
    cells(out)
      .slice(0, -1)
      .map((c: any) => [stream(c), stream(c, "stderr")]);
  expect(shown(second)).toEqual(shown(first));
  expect(checkCells(second).length).toBeGreaterThan(3);
  for (const c of checkCells(second)) expect(stream(c)).toMatch(/^✓ /);
  expect(plots(second)).toEqual(plots(first));
});

test("the admissions notebook prints the course's published numbers exactly", () => {
  const text = allText(executed("02-admissions", "filled"));
  for (const line of [
    "epoch    0  Train loss: 0.2627609385\n",
    "epoch  900  Train loss: 0.197030058018\n",
    "epoch    0  Train loss: 0.251357252426\n",
    "epoch  810  Train loss: 0.240400679325\n",
    "Hidden-layer output: 0.41492192 0.42604313 0.50024340\n",
    "Output-layer output: 0.49815196 0.48539772\n",
    "Change in weights for hidden layer to output layer: 0.00804047 0.00555918\n",
  ])
    expect(text).toContain(line);
  expect(text.match(/^Prediction accuracy: 0\.725$/gm)).toHaveLength(2);
});

test("the admissions notebook as handed out names the unwritten function in each demonstration cell", () => {
  const skips =
    allText(executed("02-admissions", "stub")).match(/^\(skipped: this cell runs once `\w+` is written\)$/gm) ?? [];
  expect(skips.length).toBeGreaterThanOrEqual(5);
  expect(skips[0]).toContain("`prepareAdmissions`");
});

test("the ReLU notebook prints the course's test predictions and shows the symmetry", () => {
  const text = allText(executed("04-relu-2-3-1", "filled"));
  for (const line of [
    "(1, 1) → 7.0385",
    "(2, 2) → 14.0428",
    "(3, 3) → 21.0472",
    "(5, 5) → 35.0559",
    "(10, 10) → 70.0777",
  ])
    expect(text).toContain(line);
  expect(text).toContain("fixed start, W after training: [[1.0475,1.0614],[1.0475,1.0614],[1.0475,1.0614]]");
  const random = /random start, W after training: (.*)/.exec(text)![1];
  expect(new Set(JSON.parse(random).map((row: number[]) => row.join())).size).toBe(3);
});

test("the NOT notebook's descent lowers the training-set cost", () => {
  const m = /cost (\d\.\d+) at the start, (\d\.\d+) after 60 steps/.exec(
    allText(executed("03-not-network", "filled")),
  )!;
  expect(Number(m[2])).toBeLessThan(Number(m[1]) / 10);
});

withBlas(
  "the MNIST notebook trains 784-200-10 past the course's accuracies, its progress one display updated live that stays as one line",
  () => {
    const r = run("05-mnist", "filled");
    const text = allText(r.nb);
    expect(text).toMatch(/^matrix products: native BLAS \(libopenblas/m);
    const [, train, test] = /^accuracy: training (\d+\.\d) %, test (\d+\.\d) %$/m.exec(text)!.map(Number);
    expect([train > 90, test > 85]).toEqual([true, true]);
    const i = cellIndex(r.nb, "const bar = progress(500)");
    const log = r.cells[String(i)];
    const displays = log.messages.filter((m) => m.type === "display_data" || m.type === "update_display_data");
    // One display id; shown first early in the run (an iteration within the first tenth), then updated in
    // place at least five times before the cell's reply came back: live, while the cell ran.
    expect(new Set(displays.map((m) => m.display_id)).size).toBe(1);
    expect(displays[0].type).toBe("display_data");
    expect(Number(/iteration (\d+)\/500/.exec(displays[0].text!)![1])).toBeLessThanOrEqual(50);
    expect(displays.filter((m) => m.type === "update_display_data" && m.t < log.reply!).length).toBeGreaterThanOrEqual(
      5,
    );
    // Saved: one output, the final line, no stream of lines.
    const outputs = r.nb.cells[i].outputs;
    expect(outputs.map((o: any) => o.output_type)).toEqual(["display_data"]);
    expect([].concat(outputs[0].data["text/plain"]).join("")).toMatch(/iteration 500\/500 {3}cost 0\.\d{4,} {3}\d/);
  },
);

withBlas("every plot of every notebook survives an HTML export by nbconvert, as a PNG of the plot's size", () => {
  for (const section of ["01-single-unit-gd", "02-admissions", "03-not-network", "04-relu-2-3-1", "05-mnist"]) {
    const r = run(section, "filled");
    const html = path.join(jupyterPath, `${section}.html`);
    const e = spawnSync("/usr/bin/jupyter", ["nbconvert", "--to", "html", "--output", html, r.file], {
      encoding: "utf8",
    });
    expect(e.status).toBe(0);
    const images = [...fs.readFileSync(html, "utf8").matchAll(/<img src="data:image\/png;base64,([^"]+)"([^>]*)>/g)];
    expect([section, images.length]).toEqual([section, plots(r.nb).length]);
    for (const [, b64, attrs] of images) {
      const png = Buffer.from(b64, "base64"),
        [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)]; // IHDR
      const [aw, ah] = [/width="?(\d+)/.exec(attrs), /height="?(\d+)/.exec(attrs)].map((m) => Number(m?.[1]));
      expect([section, w, h]).toEqual([section, 2 * aw, 2 * ah]); // drawn at twice the size it is shown at
      expect(aw).toBeGreaterThan(200);
    }
  }
});

withBlas(
  "the MNIST notebook reproduces ex4's regularization term and passes the gradient check with and without λ",
  () => {
    const text = allText(executed("05-mnist", "filled"));
    expect(text).toContain("regularization term: 0.096141 (the course: 0.383770 − 0.287629 = 0.096141)");
    expect(text.match(/^nnCostFunction, λ = [03]: relative difference \d\.\d\de-1[0-9] ✓ under 1e-9$/gm)).toHaveLength(
      2,
    );
    expect(Number(/^doubledGradientCost: relative difference (\d\.\d+)/m.exec(text)![1])).toBeGreaterThan(0.3);
    const costs = /^cost every 20 iterations: (.*)$/m.exec(text)![1].split(" → ").map(Number);
    expect(costs.every((c, i) => i === 0 || c <= costs[i - 1])).toBe(true); // fmincg never raises the cost
    expect(Number(/^784-25-10: training accuracy (\d+\.\d) %/m.exec(text)![1])).toBeGreaterThan(90); // plain descent reached 83.0 %
  },
);

// patches/tslab+1.0.22.patch: tslab's converter must leave property names alone and expand
// shorthand properties of earlier cells' variables — in the grader exactly as in the kernel — and a
// notebook sees Node's declarations only, not the project's tools' (jest's globals, say).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { learnerPlace } from "../grader/sections";
import { createIsolated, DEFAULT_RUN_LIMITS } from "../grader/isolation";
import { createTypeChecker } from "../grader/pipeline";

const checker = createTypeChecker(learnerPlace().notebookDir);
afterAll(() => checker.close());

test("renamed destructuring and shorthand properties of earlier cells' names compile and run", async () => {
  const program = await checker.check([
    { cell: 1, source: "function f(x: number) { return { Z: x, cache: { Z: 2 * x } }; }\nconst k = 7;" },
    { cell: 2, source: "function g(x: number) { const { Z: z, cache: { Z: twice } } = f(x); return z + twice; }" },
    { cell: 3, source: "function h() { return { k, f: f(1).Z }; }" },
  ]);
  expect(program.cells.map((c) => c.diagnostics)).toEqual([[], [], []]);
  const run = createIsolated(program, learnerPlace(), DEFAULT_RUN_LIMITS);
  try {
    expect(await run.loadErrors()).toEqual([]);
    expect(await run.call("g", [3], 2000)).toEqual({ kind: "value", value: 9 });
    expect(await run.call("h", [], 2000)).toEqual({ kind: "value", value: { k: 7, f: 1 } });
  } finally {
    run.close();
  }
});

test("a cell sees Node's declarations but not the project's test tools' globals", async () => {
  const program = await checker.check([
    { cell: 1, source: "const here: string = process.cwd();" },
    { cell: 2, source: 'describe("a suite", () => undefined);' },
  ]);
  expect(program.cells[0].diagnostics).toEqual([]);
  expect(program.cells[1].diagnostics.map((d) => d.message)).toEqual([
    expect.stringMatching(/^Cannot find name 'describe'/),
  ]);
});

test("a file the cells import is checked with every cell that imports it, and again once it changes", async () => {
  // The patch keeps an imported file's diagnostics from one cell to the next (re-checking the course
  // helper was most of a new cell's cost): a kept result must still be reported, and dropped once the
  // file (or anything it imports, or the global scope) is another source file.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "course-imported-"));
  fs.writeFileSync(path.join(dir, "dep.ts"), "export const m: number = missingName;\n");
  const own = createTypeChecker(dir);
  const cell = (n: number) => ({ cell: n, source: `import { m } from "./dep";\nconst a${n} = m;` });
  const messages = async (n: number) => (await own.check([cell(n)])).cells[0].diagnostics.map((d) => d.message);
  try {
    const program = await own.check([cell(1), cell(2), { cell: 3, source: "const c = 3;" }, cell(4)]);
    expect(program.cells.map((c) => c.diagnostics.map((d) => d.message))).toEqual([
      [expect.stringMatching(/^Cannot find name 'missingName'/)],
      [expect.stringMatching(/^Cannot find name 'missingName'/)],
      [],
      [expect.stringMatching(/^Cannot find name 'missingName'/)],
    ]);
    fs.writeFileSync(path.join(dir, "dep.ts"), "export const m: number = 1;\n");
    // The converter learns of the change from its file watcher: new cells until it has (a bounded count).
    let n = 5;
    while ((await messages(n)).length > 0 && n < 200) {
      await new Promise((r) => setTimeout(r, 50));
      n++;
    }
    expect(await messages(n + 1)).toEqual([]);
  } finally {
    own.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

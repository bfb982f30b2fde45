// patches/tslab+1.0.22.patch: tslab's converter must leave property names alone and expand
// shorthand properties of earlier cells' variables — in the grader exactly as in the kernel — and a
// notebook sees Node's declarations only, not the project's tools' (jest's globals, say).
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

// The type-checker in its worker thread: stopped when a notebook outlives its limit, and never left
// broken by a cell the compiler cannot handle.
import * as path from "path";
import { createBudget } from "./budget";
import { createTypeChecker, TypeCheckTimeout } from "./typecheck";

const dir = path.join(__dirname, "..", "notebooks");
const checker = createTypeChecker(dir);
afterAll(() => checker.close());
const cell = (n: number, source: string) => ({ cell: n, source });

test("cells are checked in order with the declarations of the cells before them", async () => {
  const p = await checker.check([
    cell(1, "const k = 2;"),
    cell(2, "const s: string = k;"),
    cell(3, "function f(x: number) { return k * x; }"),
  ]);
  expect(p.cells.map((c) => [c.cell, c.diagnostics.map((d) => d.message), c.js !== undefined])).toEqual([
    [1, [], true],
    [2, ["Type 'number' is not assignable to type 'string'."], false],
    [3, [], true],
  ]);
});

test("a cell the compiler itself cannot handle is skipped, and the next notebook is checked by a fresh converter", async () => {
  const deep = `const deep = ${"(".repeat(60000)}1${")".repeat(60000)};`;
  const p = await checker.check([cell(1, deep), cell(2, "const ok = 1;")]);
  expect(p.cells[0].diagnostics[0].message).toMatch(/^the type-checker could not handle this cell/);
  expect(p.cells[1].diagnostics).toEqual([]);
  const next = await checker.check([cell(1, "function g(x: number): number { return x + 1; }")]);
  expect(next.cells[0].diagnostics).toEqual([]);
});

test("a notebook whose type-check outlives its budget is stopped (its worker ended), and the checker works again afterwards", async () => {
  await expect(
    checker.check(
      Array.from({ length: 30 }, (_, i) => cell(i + 1, `const slow${i} = ${i};`)),
      createBudget(1),
    ),
  ).rejects.toBeInstanceOf(TypeCheckTimeout);
  expect((await checker.check([cell(1, "const after = 3;")])).cells[0].diagnostics).toEqual([]);
});

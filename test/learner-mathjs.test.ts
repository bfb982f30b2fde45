// A notebook's `mathjs` in the grader's learner process is the course's (notebooks/kernel/mathjs.js),
// the same the kernel gives the notebook (route-mathjs.js), made as used — and the matrices it makes
// come back to the grader as numbers.
import { learnerPlace } from "../grader/sections";
import { createIsolated, DEFAULT_RUN_LIMITS } from "../grader/isolation";
import { createTypeChecker } from "../grader/pipeline";

const checker = createTypeChecker(learnerPlace().notebookDir);
afterAll(() => checker.close());

test("a cell's mathjs is the course's namespace, and a matrix it returns is graded as its numbers", async () => {
  const program = await checker.check([
    {
      cell: 1,
      source: [
        'import * as math from "mathjs";',
        'const made = () => (math as any)[Symbol.for("course.mathjs.instance")]?.() !== undefined;',
        "function lazy() { return [made() ? 1 : 0, Object.keys(math).length]; }",
        "function twice(rows: number[][]) { return math.multiply(math.matrix(rows), 2); }",
      ].join("\n"),
    },
  ]);
  expect(program.cells[0].diagnostics).toEqual([]);
  const run = createIsolated(program, learnerPlace(), DEFAULT_RUN_LIMITS);
  try {
    expect(await run.loadErrors()).toEqual([]);
    // Imported and listed, nothing made yet (1 once made); the package's names all there. (Grading returns numbers only.)
    expect(await run.call("lazy", [], 5000)).toEqual({
      kind: "value",
      value: [0, Object.keys(require("mathjs")).length],
    });
    expect(
      await run.call(
        "twice",
        [
          [
            [1, -2],
            [0.5, 3],
          ],
        ],
        5000,
      ),
    ).toEqual({
      kind: "value",
      value: [
        [2, -4],
        [1, 6],
      ],
    });
    expect(await run.call("lazy", [], 5000)).toEqual({ kind: "value", value: [1, expect.any(Number)] });
  } finally {
    run.close();
  }
});

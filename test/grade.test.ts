import * as path from "path";
import { closeTypeChecker, gradeNotebook } from "../grader/pipeline";
import { dependents, filledNotebook, set, writeVariant } from "./helpers";

afterAll(() => closeTypeChecker());
const byName = (r: { parts: { name: string }[] }, n: string) => r.parts.find((p) => p.name === n) as any;

test("the solution-filled notebook scores 100 %", async () => {
  const r = await gradeNotebook(writeVariant("01-solution.ipynb", {}));
  expect(r.score).toBe(100);
  expect(r.maxScore).toBe(100);
  expect(r.parts.every((p) => p.status === "passed")).toBe(true);
});

test("the stub notebook scores 0 with a helpful message for every part", async () => {
  const r = await gradeNotebook(path.join(__dirname, "..", "notebooks", "01-single-unit-gd.ipynb"));
  expect(r.score).toBe(0);
  for (const p of r.parts) {
    expect(p.status).toBe("failed");
    expect(p.feedback.join("\n")).toContain("not implemented yet");
    expect(p.feedback.join("\n")).toContain("hint:");
  }
});

test("a wrong sigmoidPrime loses exactly its points and those of the parts documented to call it", async () => {
  const file = writeVariant("01-bad-prime.ipynb", {
    sigmoidPrime:
      "function sigmoidPrime<T extends Tensor>(x: T): T {\n  return map(x, (h) => sigmoid(h) * (1 + sigmoid(h)));\n}",
  });
  const r = await gradeNotebook(file);
  const lost = ["sigmoidPrime", ...dependents("sigmoidPrime")];
  const expectedScore = set.parts.filter((p) => !lost.includes(p.name)).reduce((s, p) => s + p.points, 0);
  expect(r.score).toBe(expectedScore);
  for (const name of lost) expect(byName(r, name).points).toBe(0);
  expect(byName(r, "sigmoidPrime").feedback.join("\n")).toMatch(/largest error/);
  expect(byName(r, "errorTerm").feedback[0]).toMatch(/calls sigmoid, sigmoidPrime|calls sigmoidPrime/);
});

test("a type error in one cell is reported with cell and line:col and leaves the other parts graded", async () => {
  const file = writeVariant("01-type-error.ipynb", {
    weightStep:
      "function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[] {\n  const step: string = learnrate;\n  return x;\n}",
  });
  const r = await gradeNotebook(file);
  const ws = byName(r, "weightStep");
  expect(ws.status).toBe("type-error");
  expect(ws.points).toBe(0);
  expect(ws.feedback[0]).toMatch(
    /^type error in code cell \d+ at 2:9: Type 'number' is not assignable to type 'string'/,
  );
  expect(r.score).toBe(100 - ws.maxPoints);
});

test("an infinite loop in one function times out that part only", async () => {
  const file = writeVariant("01-loop.ipynb", {
    gradientDescentEpoch:
      "function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[] {\n  while (true) {}\n}",
  });
  const r = await gradeNotebook(file);
  const gd = byName(r, "gradientDescentEpoch");
  expect(gd.status).toBe("timeout");
  expect(gd.points).toBe(0);
  expect(r.score).toBe(100 - gd.maxPoints);
});

test('a deleted function scores 0 for its part with "function `weightStep` not found"', async () => {
  const r = await gradeNotebook(writeVariant("01-missing.ipynb", { weightStep: null }));
  expect(byName(r, "weightStep").feedback).toEqual(["function `weightStep` not found"]);
  expect(r.score).toBe(100 - byName(r, "weightStep").maxPoints);
});

test("parts are found by name: a later definition in another cell overrides the stub", async () => {
  const nb = filledNotebook();
  const stubbed = writeVariant(
    "01-tmp.ipynb",
    {
      sigmoid: 'function sigmoid<T extends Tensor>(x: T): T {\n  throw new Error("not implemented yet");\n}',
    },
    nb,
  );
  const withLater = JSON.parse(require("fs").readFileSync(stubbed, "utf8"));
  const fixed = nb.cells.find((c: any) => c.source.join("").startsWith("function sigmoid<"));
  withLater.cells.push({ ...fixed, id: "late" });
  const file = require("path").join(require("path").dirname(stubbed), "01-override.ipynb");
  require("fs").writeFileSync(file, JSON.stringify(withLater));
  const r = await gradeNotebook(file);
  expect(r.score).toBe(100);
});

test("learner code cannot read the solutions from disk while graded: importing fs is refused, and fs reached another way is denied", async () => {
  const solutionFile = path.join(__dirname, "..", "solutions", "01-single-unit-gd.ts");
  const imported = await gradeNotebook(
    writeVariant("01-import-fs.ipynb", {
      sigmoid: `import * as fs from "fs";\nfunction sigmoid<T extends Tensor>(x: T): T {\n  fs.readFileSync(${JSON.stringify(solutionFile)}, "utf8");\n  return map(x, (h) => 1 / (1 + Math.exp(-h)));\n}`,
    }),
  );
  expect(byName(imported, "sigmoid").points).toBe(0);
  expect(imported.notes.join("\n")).toContain('cannot import "fs" while grading');
  // The course helper's own loaders read the path they are given: Node's permission model stops the read.
  const sneaky = await gradeNotebook(
    writeVariant("01-read-solutions.ipynb", {
      sigmoid: `import { loadAdmissions } from "./course";\nfunction sigmoid<T extends Tensor>(x: T): T {\n  loadAdmissions(${JSON.stringify(solutionFile)});\n  return map(x, (h) => 1 / (1 + Math.exp(-h)));\n}`,
    }),
  );
  expect(byName(sneaky, "sigmoid").points).toBe(0);
  expect(byName(sneaky, "sigmoid").feedback.join("\n")).toMatch(
    /ERR_ACCESS_DENIED|Access to this API has been restricted/,
  );
});

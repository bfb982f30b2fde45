// Section 02's broken variants lose their parts on hidden checks (graded in process: the solution
// with one declaration edited); a class instance is refused end to end. The solution's 100 % and the
// stub's 0 are `course verify`'s (test/verify.test.ts).
import { closeTypeChecker, gradeNotebook } from "../grader/pipeline";
import { variants } from "./helpers";
import { gradeEdited } from "./in-process";

afterAll(() => closeTypeChecker());
const v = variants("02-admissions");
const byName = (r: { parts: { name: string }[] }, n: string) => r.parts.find((p) => p.name === n) as any;
const points = (name: string) => v.set.parts.find((p) => p.name === name)!.points;

/** Grades a variant and checks that exactly `lost` parts (plus their documented dependents) lose all their points. */
async function expectOnlyLost(lost: string, cell: string, edit: [string, string]) {
  const r = await gradeEdited("02-admissions", cell, [edit]);
  const failing = [lost, ...v.dependents(lost)];
  for (const p of r.parts) expect([p.name, p.points]).toEqual([p.name, failing.includes(p.name) ? 0 : points(p.name)]);
  const feedback = byName(r, lost).feedback.join("\n");
  // Hidden cases say values are off (and in which field), never an error's size nor an index.
  expect(feedback).toMatch(
    /hidden case "[^"]+": (.*: )?wrong values in [\w.]+( the result)?: off by more than the tolerance|hidden case "[^"]+": (\w+: )?(expected|wrong shape)/,
  );
  expect(feedback).not.toMatch(/hidden case "[^"]+": .*largest error/);
  expect(feedback).toContain("hint:");
  return feedback;
}

test("a gradient-descent update that is not averaged over the records loses trainSingleUnit", async () => {
  await expectOnlyLost("trainSingleUnit", "trainSingleUnit", ["(learnrate * delW[j]) / m", "learnrate * delW[j]"]);
});

test("standardizing with the population standard deviation (n, not n − 1) loses prepareAdmissions", async () => {
  await expectOnlyLost("prepareAdmissions", "prepareAdmissions", ["/ (xs.length - 1)", "/ xs.length"]);
});

test.each([
  [
    "training rows sorted instead of in the order drawn",
    [
      "const train = rng.choice(n, Math.floor(n * fraction), false);",
      "const train = rng.choice(n, Math.floor(n * fraction), false).sort((a, b) => a - b);",
    ],
  ],
  [
    "test rows in the shuffled order instead of the original order",
    [
      "const test = Array.from({ length: n }, (_, i) => i).filter((i) => !drawn.has(i));",
      "const test = rng.permutation(n).filter((i) => !drawn.has(i));",
    ],
  ],
] as [string, [string, string]][])("a split with %s loses splitTrainTest", async (_what, edit) => {
  const feedback = await expectOnlyLost("splitTrainTest", "splitTrainTest", edit);
  expect(feedback).not.toMatch(/\d{3}, \d{3}/); // no hidden indices in the feedback
});

test.each([
  [
    "the hidden layer's",
    ["outputErrorTerm * weightsHiddenOutput[j] * a * (1 - a)", "outputErrorTerm * weightsHiddenOutput[j]"],
  ],
  ["the output's", ["(target - output) * output * (1 - output)", "target - output"]],
] as [string, [string, string]][])(
  "backpropagation without %s sigmoid′ factor loses backpropStep and trainTwoLayer, which calls it",
  async (_which, edit) => {
    await expectOnlyLost("backpropStep", "backpropStep", edit);
  },
);

test("a record returned as a class instance is rejected with what it was", async () => {
  const r = await gradeNotebook(
    v.writeVariant("02-class.ipynb", {
      forwardPass:
        "class Layers { constructor(public hidden: number[], public output: number[]) {} }\nfunction forwardPass(x: number[], weightsInputHidden: number[][], weightsHiddenOutput: number[][]): { hidden: number[]; output: number[] } {\n  const hidden = vecMat(x, weightsInputHidden).map(sigmoid);\n  return new Layers(hidden, vecMat(hidden, weightsHiddenOutput).map(sigmoid));\n}",
    }),
  );
  expect(byName(r, "forwardPass").points).toBe(0);
  expect(byName(r, "forwardPass").feedback[0]).toBe(
    "every case (3): returned an instance of Layers, expected numbers, arrays or records of them",
  );
});

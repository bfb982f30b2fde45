// `course verify` passes for every section, and fails — saying why — when an instructor breaks a
// solution, deletes a hidden case, or leaks an expected value into a notebook.
import * as fs from "fs";
import * as path from "path";
import { listSections, loadExerciseSet, loadSolution } from "../grader/sections";
import { closeTypeChecker } from "../grader/pipeline";
import { verifySection } from "../grader/authoring";

afterAll(() => closeTypeChecker());

test.each(listSections())(
  "section %s verifies: solution 100 %, stub 0, every mutant caught or listed",
  async (section) => {
    const r = await verifySection(section);
    expect(r.problems).toEqual([]);
    expect(r.mutation.reduce((n, m) => n + m.total, 0)).toBeGreaterThan(10);
  },
);

test("a broken solution fails verify: the published number and the public cases disagree with it", async () => {
  const real = loadSolution("01-single-unit-gd");
  const solution = { ...real, weightStep: (...a: any[]) => (real.weightStep(...a) as number[]).map((v) => 2 * v) };
  const r = await verifySection("01-single-unit-gd", { solution, skipGrading: true });
  expect(r.problems).toContain(
    'weightStep: the solution does not reproduce the published "the course\'s worked example, Δw ≈ [−0.0039638, −0.0118914]": largest error 0.0119 at index [1] (tolerance rtol 0, atol 5e-8)',
  );
  expect(
    r.problems.some((p) => /^weightStep: public case "the course's worked example" fails on the solution/.test(p)),
  ).toBe(true);
});

test("deleting a hidden case fails verify with the mutants it no longer catches", async () => {
  const set = loadExerciseSet("04-relu-2-3-1");
  const relu = set.parts.find((p) => p.name === "relu")!;
  const weakened = {
    ...set,
    parts: set.parts.map((p) =>
      p === relu ? { ...p, hiddenCases: p.hiddenCases.filter((c) => c.label !== "a number between 0 and 1") } : p,
    ),
  };
  const r = await verifySection("04-relu-2-3-1", { set: weakened, skipGrading: true });
  expect(r.problems).toEqual(["relu: 1 of 4 mutants survive every hidden check:\n      off by one: 0 → 1 in x > 0"]);
});

test("an expected value pasted into the notebook fails verify, naming the part and the case", async () => {
  const nb = fs.readFileSync(path.join(__dirname, "..", "notebooks", "03-not-network.ipynb"), "utf8");
  const leaked = nb.replace("## The cost", `## The cost (hint: a1(1.3, -0.1, 0) = ${Math.tanh(-0.1)})`);
  const checks = fs.readFileSync(path.join(__dirname, "..", "notebooks", "checks", "03-not-network.json"), "utf8");
  const r = await verifySection("03-not-network", {
    skipGrading: true,
    learnerFiles: [
      { name: "notebooks/03-not-network.ipynb", text: leaked },
      { name: "notebooks/checks/03-not-network.json", text: checks },
    ],
  });
  expect(r.problems).toEqual([
    'a1: the hidden expected value of "the starting neuron, input 0" (-0.099667…) appears in notebooks/03-not-network.ipynb',
  ]);
});

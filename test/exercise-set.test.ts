import * as fs from "fs";
import * as path from "path";
import { buildNotebook, checkLeaks, notebookJson, publicChecks } from "../grader/authoring";
import { expectedValue, listSections, loadExerciseSet, loadSolution } from "../grader/sections";

const root = path.join(__dirname, "..");

describe.each(listSections())("section %s", (section) => {
  const set = loadExerciseSet(section);
  const learnerFiles = [`notebooks/${section}.ipynb`, `notebooks/checks/${section}.json`].map((f) =>
    fs.readFileSync(path.join(root, f), "utf8"),
  );

  test("the committed notebook and public checks are what `course build` generates", () => {
    expect(learnerFiles[0]).toBe(notebookJson(buildNotebook(set)));
    expect(learnerFiles[1]).toBe(JSON.stringify(publicChecks(set), null, 1) + "\n");
  });

  test("points sum to 100 and every part has public and hidden cases", () => {
    expect(set.parts.reduce((s, p) => s + p.points, 0)).toBe(100);
    for (const p of set.parts) {
      if (p.answer)
        expect([p.publicCases.length, p.hiddenCases.length]).toEqual([0, 0]); // an answer is one hidden check
      else expect([p.name, p.publicCases.length > 0, p.hiddenCases.length > 0]).toEqual([p.name, true, true]);
    }
  });

  test("no hidden expected value appears in anything the learner receives", () => {
    const solution = loadSolution(section);
    const files = learnerFiles.map((text, i) => ({ name: ["notebook", "public checks"][i], text }));
    expect(checkLeaks(set, solution, files)).toEqual([]);
    // …and there are hidden values to look for: the check above can fail (test/verify.test.ts pastes one in).
    const hidden = set.parts.flatMap((p) =>
      p.answer ? [solution[p.name]] : p.hiddenCases.filter((c) => !c.judge).map((c) => expectedValue(solution, p, c)),
    );
    expect(JSON.stringify(hidden).match(/\d\.\d{6}/g)?.length ?? 0).toBeGreaterThan(0);
  });

  test("the solution's signatures are the ones the notebook's stubs declare", () => {
    const src = fs
      .readFileSync(path.join(root, "solutions", `${section}.ts`), "utf8")
      .replace(/\n\s*/g, " ")
      .replace(/\( /g, "(")
      .replace(/, \)/g, ")");
    for (const p of set.parts) {
      if (p.method)
        expect(src).toContain(` ${p.signature} {`); // a method inside the exported class
      else expect(src).toContain(`export ${p.signature}${p.answer ? " =" : " {"}`);
    }
  });
});

test("section 01's solution reproduces the course's worked example", () => {
  const s = loadSolution("01-single-unit-gd") as any;
  const [x, y, w, eta] = [[0.1, 0.3], 0.2, [-0.8, 0.5], 0.5];
  expect(s.sigmoid(0.07)).toBeCloseTo(0.51749, 5); // ŷ, h = x·w = 0.07
  expect(y - s.sigmoid(0.07)).toBeCloseTo(-0.31749, 5);
  const dw = s.weightStep(x, y, w, eta);
  expect(dw[0]).toBeCloseTo(-0.0039638, 7);
  expect(dw[1]).toBeCloseTo(-0.0118914, 7);
});

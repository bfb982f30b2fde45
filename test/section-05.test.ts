// Section 05: the stub graded end to end, and every kept broken version caught by hidden checks
// (graded in process). The solution's 100 %, with the MNIST accuracy check, is `course verify`'s.
import * as path from "path";
import { closeTypeChecker, gradeNotebook } from "../grader/pipeline";
import type { Broken } from "./fixtures/broken/types";
import { variants } from "./helpers";
import { gradeEdited } from "./in-process";

afterAll(() => closeTypeChecker());
const section = "05-mnist";
const v = variants(section);
const { broken }: { broken: Broken[] } = require(`./fixtures/broken/${section}`);
/** Every part but the MNIST training (30 s), which none of these versions changes. */
const quickParts = v.set.parts.map((p) => p.name).filter((n) => n !== "multiLayerNetwork");

test("the notebook as handed out scores 0, every part saying it is not implemented yet", async () => {
  const r = await gradeNotebook(path.join(__dirname, "..", "notebooks", `${section}.ipynb`));
  expect([r.score, r.maxScore]).toEqual([0, 100]);
  for (const p of r.parts) expect(p.feedback.join("\n")).toMatch(/not implemented yet/);
});

test("every part but the MNIST training has a kept broken version", () => {
  expect(new Set(broken.map((b) => b.part))).toEqual(new Set(quickParts));
});

test.each(broken.map((b, i) => [b.part, b.why, i] as const))(
  "the hidden checks of %s catch %s",
  async (part, _why, i) => {
    const b = broken[i];
    const r = await gradeEdited(section, b.cell, b.edits, quickParts);
    const result = r.parts.find((p) => p.name === part)!;
    expect(result.points).toBeLessThan(result.maxPoints);
    expect(result.hiddenFailed).toBeGreaterThan(0);
    const untouched = r.parts.filter((p) => p.name !== part && !v.dependents(part).includes(p.name));
    for (const p of untouched) expect([p.name, p.points]).toEqual([p.name, p.maxPoints]);
  },
);

test("a softmax without the max-shift is told where it turns NaN, without the expected numbers", async () => {
  const b = broken.find((x) => x.part === "softmaxCrossEntropyLoss")!;
  const r = await gradeEdited(section, b.cell, b.edits, ["softmaxCrossEntropyLoss"]);
  const feedback = r.parts[0].feedback.join("\n");
  expect(feedback).toContain(
    'hidden case "large inputs (around 1000: e^z overflows without the max-shift)": got a value that is not finite (NaN or ±Infinity) in A',
  );
  expect(feedback).not.toMatch(/expected \[/);
  expect(feedback).toContain("hint: A = exp(Z − max(Z, 0))");
});

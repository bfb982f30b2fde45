// Sections 03 and 04: every kept broken version loses its part on hidden checks (graded in process),
// answers are judged as the course says, and the class parts' failure modes are reported end to end
// (the learner process's own messages). The solution's 100 % and the stub's 0 are `course verify`'s.
import { closeTypeChecker, gradeNotebook } from "../grader/pipeline";
import type { Broken } from "./fixtures/broken/types";
import { variants } from "./helpers";
import { gradeEdited } from "./in-process";

afterAll(() => closeTypeChecker());
const byName = (r: { parts: { name: string }[] }, n: string) => r.parts.find((p) => p.name === n) as any;

describe.each(["03-not-network", "04-relu-2-3-1"])("section %s", (section) => {
  const v = variants(section);
  const { broken }: { broken: Broken[] } = require(`./fixtures/broken/${section}`);

  test("every part has a kept broken version", () => {
    expect(new Set(broken.map((b) => b.part))).toEqual(new Set(v.set.parts.map((p) => p.name)));
  });

  test.each(broken.map((b, i) => [b.part, b.why, i] as const))(
    "the hidden checks of %s catch %s",
    async (part, _why, i) => {
      const b = broken[i];
      const r = await gradeEdited(section, b.cell, b.edits);
      const result = byName(r, part);
      expect(result.points).toBeLessThan(result.maxPoints);
      expect(result.hiddenFailed).toBeGreaterThan(0);
      const untouched = r.parts.filter((p) => p.name !== part && !v.dependents(part).includes(p.name));
      for (const p of untouched) expect([p.name, p.points]).toEqual([p.name, p.maxPoints]);
    },
  );
});

describe("answer parts", () => {
  const v = variants("03-not-network");
  test("a choice is graded statement by statement: 3 of 5 right earns 3/5 of the points, and feedback says how many, not which", async () => {
    const r = await gradeEdited("03-not-network", "answer_chainRule", [['["a", "b", "d"]', '["a", "b", "c"]']]);
    const p = byName(r, "answer_chainRule");
    expect([p.points, p.status]).toEqual([9, "partial"]);
    expect(p.feedback[0]).toBe("3 of 5 statements judged correctly");
  });
  test("answers of the wrong form say what was expected", async () => {
    const r = await gradeNotebook(
      v.writeVariant("03-forms.ipynb", {
        answer_C0: 'const answer_C0: any = "1.2";',
        answer_chainRule: 'const answer_chainRule: string[] | null = ["a", "z"];',
      }),
    );
    expect(byName(r, "answer_C0").feedback[0]).toBe("`answer_C0` is string, expected a number or a list of letters");
    expect(byName(r, "answer_chainRule").feedback[0]).toBe('unknown letter "z"; the statements are a, b, c, d, e');
    expect(r.score).toBe(75);
  });
  test("a number outside the tolerance does not reveal the value", async () => {
    const r = await gradeEdited("03-not-network", "answer_C0", [["(Math.tanh(1.3 * 0 - 0.1) - 1) ** 2", "1.3"]]);
    expect(byName(r, "answer_C0").feedback[0]).toBe("not within ±0.00006 of the value");
    expect(JSON.stringify(r)).not.toMatch(/0\.952/);
  });
});

describe("class parts", () => {
  const v = variants("04-relu-2-3-1");
  test("a renamed class is reported by name for each of its methods", async () => {
    const r = await gradeNotebook(
      v.writeEdited("04-renamed-class.ipynb", "NeuralNetwork", ["class NeuralNetwork {", "class Network {"]),
    );
    for (const p of r.parts.filter((p) => p.name.startsWith("NeuralNetwork.")))
      expect(p.feedback.at(-1)).toBe("class `NeuralNetwork` not found");
    expect(r.score).toBe(30);
  });
  test("a renamed method, and a constructor that throws, get clear messages", async () => {
    const renamed = await gradeNotebook(
      v.writeEdited(
        "04-renamed-method.ipynb",
        "NeuralNetwork",
        ["  predict(x1: number, x2: number): number {", "  forward(x1: number, x2: number): number {"],
        ["this.predict(", "this.forward("],
      ),
    );
    expect(byName(renamed, "NeuralNetwork.predict").feedback[0]).toBe(
      "every case (4): threw Error: NeuralNetwork has no method `predict` — was it renamed?",
    );
    const throwing = await gradeNotebook(
      v.writeEdited("04-ctor.ipynb", "NeuralNetwork", [
        "  learningRate = 0.001;",
        '  learningRate = 0.001;\n  constructor() { throw new Error("boom"); }',
      ]),
    );
    expect(byName(throwing, "NeuralNetwork.train").feedback[0]).toBe(
      "every case (6): threw Error: new NeuralNetwork() threw Error: boom",
    );
  });
});

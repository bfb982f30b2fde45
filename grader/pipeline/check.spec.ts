// check.ts's scoring, statuses and feedback rules, on a fake learner process that answers from a
// table: no child, no type-checker. Each spec is about one rule.
import { checkPart, noteDependencies, type PartResult } from "./check";
import type { ExerciseSet, Part } from "../sections";
import type { CallOutcome, CheckedProgram, Isolated } from "../isolation";

const program: CheckedProgram = { cells: [], sideOutputs: [] };
const solution = {
  double: (x: number[]) => x.map((v) => 2 * v),
  stats: (x: number[]) => ({ sum: x[0] + x[1], max: Math.max(...x) }),
  answer_a: 0.5,
  answer_b: ["a", "c"],
};
const part = (p: Partial<Part> & Pick<Part, "name">): Part => ({
  points: 10,
  signature: "",
  hint: "read the formula",
  tolerance: { rtol: 1e-9, atol: 1e-12 },
  publicCases: [{ label: "pub", args: [[1, 2]] }],
  hiddenCases: [
    { label: "h1", args: [[3, 4]] },
    { label: "h2", args: [[5, 6]] },
  ],
  ...p,
});
/** A fake run whose every call answers `answer(args)`. */
const fake = (answer: (args: unknown[], name: string) => CallOutcome): Isolated => ({
  loadErrors: async () => [],
  call: async (name, args) => answer(args, name),
  close: () => undefined,
});
const value = (v: unknown): CallOutcome => ({ kind: "value", value: v });
const grade = (p: Part, answer: (args: unknown[], name: string) => CallOutcome) =>
  checkPart(p, solution, program, fake(answer));
const double = part({ name: "double" });

test("every case passed: full points, status passed, no feedback", async () => {
  expect(await grade(double, ([x]) => value((x as number[]).map((v) => 2 * v)))).toMatchObject({
    points: 10,
    status: "passed",
    casesPassed: 3,
    feedback: [],
    hiddenFailed: 0,
  });
});

test("points are the share of cases passed, rounded to hundredths; some passed is partial", async () => {
  const r = await grade(double, ([x]) => value((x as number[])[0] === 1 ? [2, 4] : [0, 0]));
  expect([r.points, r.status, r.casesPassed, r.hiddenFailed]).toEqual([3.33, "partial", 1, 2]);
});

test("a wrong public value shows the largest error and the expected value; a hidden one only the tolerance", async () => {
  const r = await grade(double, ([x]) => value((x as number[]).map((v) => 2 * v + 0.0123)));
  expect(r.feedback).toEqual([
    'public case "pub": largest error 0.0123 at index [0] (tolerance rtol 1e-9, atol 1e-12); expected [2,4]',
    'hidden case "h1": wrong values in the result: off by more than the tolerance (tolerance rtol 1e-9, atol 1e-12)',
    'hidden case "h2": wrong values in the result: off by more than the tolerance (tolerance rtol 1e-9, atol 1e-12)',
    "hint: read the formula",
  ]);
});

test("what the learner's code threw is shown for public cases only: hidden ones name the error's kind", async () => {
  const r = await grade(double, ([x]) => ({
    kind: "threw",
    error: { name: "TypeError", message: `bad ${JSON.stringify(x)}` },
  }));
  expect(r.feedback.slice(0, 3)).toEqual([
    'public case "pub": threw TypeError: bad [1,2]',
    'hidden case "h1": threw TypeError',
    'hidden case "h2": threw TypeError',
  ]);
});

test("the same problem on every case is one line", async () => {
  const r = await grade(double, () => ({ kind: "threw", error: { name: "Error", message: "not implemented yet" } }));
  expect(r.feedback).toEqual(["every case (3): threw Error: not implemented yet", "hint: read the formula"]);
});

test("a refused value names the learner's class or key for public cases only", async () => {
  const r = await grade(double, ([x]) => ({
    kind: "wrongType",
    reason: "instance",
    message: "returned an instance of a class, expected numbers, arrays or records of them",
    detail: `In${JSON.stringify(x)}`,
  }));
  expect(r.feedback[0]).toBe(
    'public case "pub": returned an instance of In[1,2], expected numbers, arrays or records of them',
  );
  expect(r.feedback[1]).toBe(
    'hidden case "h1": returned an instance of a class, expected numbers, arrays or records of them',
  );
});

test("an array with holes, even from a forged reply, is not numbers and earns nothing", async () => {
  const r = await grade(double, () => value(new Array(2)));
  expect([r.points, r.feedback[0]]).toEqual([0, "every case (3): returned something that is not numbers"]);
});

test("records are compared by the expected keys whatever the learner's order; swapped fields fail", async () => {
  const stats = part({ name: "stats" });
  expect(
    (
      await grade(stats, ([x]) => {
        const [a, b] = x as number[];
        return value({ max: Math.max(a, b), sum: a + b });
      })
    ).status,
  ).toBe("passed");
  expect(
    (
      await grade(stats, ([x]) => {
        const [a, b] = x as number[];
        return value({ sum: Math.max(a, b), max: a + b });
      })
    ).points,
  ).toBe(0);
});

test("a judged case receives the reference's value for the same case; hidden, its sentence (numbers the learner chose) is not shown", async () => {
  const judged = part({
    name: "double",
    hiddenCases: [
      {
        label: "near the reference",
        args: [[3, 4]],
        judge: (v, { reference }) =>
          Math.abs((v as number[])[0] - (reference() as number[])[0]) < 1 ? undefined : "too far from the reference",
      },
    ],
  });
  expect((await grade(judged, ([x]) => value((x as number[]).map((v) => 2 * v + 0.5)))).hiddenFailed).toBe(0);
  expect((await grade(judged, ([x]) => value((x as number[]).map((v) => 2 * v + 5)))).feedback).toContain(
    'hidden case "near the reference": does not pass this case\'s check',
  );
});

test("missing, timeout, interference and a spent budget each have their status", async () => {
  expect(await grade(double, () => ({ kind: "missing", message: "not found" }))).toMatchObject({
    status: "missing",
    feedback: ["function `double` not found"],
  });
  expect(
    await grade(double, () => ({ kind: "timeout", message: "timed out after 2000 ms — an infinite loop?" })),
  ).toMatchObject({ status: "timeout", points: 0 });
  expect(
    await grade(double, () => ({ kind: "interfered", message: "the learner's process sent the grader garbage" })),
  ).toMatchObject({ status: "error" });
  expect(
    await grade(double, () => ({ kind: "budget", message: "grading stopped: the notebook used all of its 180 s" })),
  ).toMatchObject({
    status: "timeout",
    feedback: ['public case "pub": grading stopped: the notebook used all of its 180 s', "hint: read the formula"],
  });
});

test("a number answer passes within its tolerance and never shows the value; choices are judged statement by statement", async () => {
  const num = part({
    name: "answer_a",
    answer: { type: "number", atol: 0.05, prompt: "?" },
    publicCases: [],
    hiddenCases: [],
  });
  expect((await grade(num, () => value(0.52))).status).toBe("passed");
  expect((await grade(num, () => value(0.7))).feedback).toEqual([
    "not within ±0.05 of the value",
    "hint: read the formula",
  ]);
  const choice = part({
    name: "answer_b",
    answer: { type: "choices", prompt: "?", statements: { a: "A", b: "B", c: "C", d: "D" } },
    publicCases: [],
    hiddenCases: [],
  });
  expect(await grade(choice, () => value(["a", "b"]))).toMatchObject({
    points: 5,
    status: "partial",
    feedback: ["2 of 4 statements judged correctly", "hint: read the formula"],
  });
  expect((await grade(choice, () => ({ kind: "unanswered" }))).feedback[0]).toBe("not answered yet (still null)");
});

test("dependency notes name failing parts that were graded, never parts left out by --part", () => {
  const set = {
    parts: [part({ name: "a" }), part({ name: "b", uses: ["a"] }), part({ name: "c", uses: ["z"] })],
  } as ExerciseSet;
  const result = (name: string, status: PartResult["status"]): PartResult => ({
    name,
    status,
    points: 0,
    maxPoints: 10,
    feedback: [],
    cases: 1,
    casesPassed: 0,
  });
  const graded = [result("a", "failed"), result("b", "failed"), result("c", "failed")];
  noteDependencies(set, graded);
  expect(graded.map((r) => r.feedback)).toEqual([[], ["it calls a, which fails its own checks: fix that first"], []]);
});

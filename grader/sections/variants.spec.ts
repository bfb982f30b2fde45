import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { courseSecret } from "./secret";
import { drawable, drawParams, learnerVariant, variantSeed, variantSet, type Variants } from "./variants";
import type { ExerciseSet } from "./exercise-set";

type P = { x: number; k: number; order: number[] };
const spec: Variants<any> = {
  params: { x: { between: [-2, 2], decimals: 2 }, k: { oneOf: [1, 2, 3] }, order: { order: 4 } },
  reject: ({ x }: P) => (Math.abs(x) < 0.5 ? "too small" : undefined),
  defaults: { x: 1, k: 1, order: [0, 1, 2, 3] },
  make: (p: P) => ({ section: "99-test", title: `x = ${p.x}`, parts: [], notebook: [] }),
  describe: ({ x }: P) => `x = ${x}`,
};
const set: ExerciseSet = { ...spec.make(spec.defaults), variants: spec };
const SECRET = "a secret of the course, long enough";

test("a learner's variant is the same for the same secret, learner and section, whatever the email's case and spaces", () => {
  const a = learnerVariant(set, { id: "Ana@Example.org ", secret: SECRET });
  expect(learnerVariant(set, { id: "ana@example.org", secret: SECRET })).toEqual(a);
  const seed = variantSeed(SECRET, "ana@example.org", "99-test").toString("hex");
  expect(learnerVariant(set, { seed })).toEqual(a);
});

test("variants differ across learners, sections and secrets", () => {
  const codes = new Set(
    Array.from({ length: 100 }, (_, i) => learnerVariant(set, { id: `l${i}@x.org`, secret: SECRET })!.code),
  );
  expect(codes.size).toBeGreaterThan(95);
  const seed = (secret: string, learner: string, section: string) =>
    variantSeed(secret, learner, section).toString("hex");
  expect(seed(SECRET, "a@x.org", "01")).not.toBe(seed(SECRET, "a@x.org", "02"));
  expect(seed(SECRET, "a@x.org", "01")).not.toBe(seed(SECRET + "!", "a@x.org", "01"));
  // The separator keeps ("a", "b01") and ("ab", "01") apart.
  expect(seed(SECRET, "a", "b01")).not.toBe(seed(SECRET, "ab", "01"));
});

test("draws follow their rules: in range and rounded, one of the list, a permutation, never a rejected one", () => {
  for (let i = 0; i < 300; i++) {
    const p = drawParams(spec, variantSeed(SECRET, `l${i}`, "99-test"));
    expect(Math.abs(p.x)).toBeGreaterThanOrEqual(0.5);
    expect(Math.abs(p.x)).toBeLessThanOrEqual(2);
    expect(Math.round(p.x * 100) / 100).toBe(p.x);
    expect([1, 2, 3]).toContain(p.k);
    expect([...p.order].sort()).toEqual([0, 1, 2, 3]);
  }
});

test("a constraint that refuses every draw is an error, not a hang", () => {
  expect(() => drawParams({ ...spec, reject: () => "never" }, variantSeed(SECRET, "a", "b"))).toThrow(
    /1000 draws in a row were refused/,
  );
});

test("a variant's set is made from its numbers; numbers it could not have drawn (a notebook's edited claim) are refused", () => {
  const v = learnerVariant(set, { id: "bo@x.org", secret: SECRET })!;
  expect(variantSet(set, v.params).title).toBe(`x = ${v.params.x}`);
  expect(variantSet(set, v.params).variants).toBe(spec);
  expect(drawable(spec, { x: 1, k: 2, order: [3, 2, 1, 0] })).toBe(true);
  for (const bad of [
    { x: 1, k: 2, order: [0, 0, 1, 2] },
    { x: "1", k: 2, order: [0, 1, 2, 3] },
    { x: 1, k: 2 },
  ])
    expect(() => variantSet(set, bad as never)).toThrow(/not a variant's numbers/);
});

test("the course's secret is made once, readable by its owner only, and read back; a missing one is an error saying how to make it", () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "secret-")), "dir", "course.secret");
  expect(() => courseSecret(file)).toThrow(/no course secret .*`course release --roster`/);
  const first = courseSecret(file, { create: true });
  expect(first.created).toBe(true);
  expect(first.secret).toMatch(/^[0-9a-f]{64}$/);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(courseSecret(file, { create: true })).toEqual({ secret: first.secret, created: false });
  fs.writeFileSync(file, "short\n");
  expect(() => courseSecret(file)).toThrow(/shorter than 32 characters/);
});

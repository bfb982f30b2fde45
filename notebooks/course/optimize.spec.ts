import { array, NDArray } from "./ndarray";
import { fmincg, type CostFunction } from "./optimize";

const col = (v: number[]) => array(v.map((x) => [x]));
const rosenbrock: CostFunction = (t) => {
  const [x, y] = t.data;
  return [(1 - x) ** 2 + 100 * (y - x * x) ** 2, col([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])];
};
const nonIncreasing = (c: number[]) => c.every((v, i) => i === 0 || v <= c[i - 1]);

test("a convex quadratic is minimised to its solution (to 1e-6) within 20 iterations", () => {
  // J = ½ θᵀAθ − bᵀθ with A symmetric positive definite: the minimum is A⁻¹b = [1, −2, 0.5].
  const A = [
      [4, 1, 0],
      [1, 3, 1],
      [0, 1, 2],
    ],
    b = A.map((r) => r[0] * 1 + r[1] * -2 + r[2] * 0.5);
  const f: CostFunction = (t) => {
    const x = t.data,
      Ax = A.map((r) => r[0] * x[0] + r[1] * x[1] + r[2] * x[2]);
    return [
      0.5 * Ax.reduce((s, v, i) => s + v * x[i], 0) - b.reduce((s, v, i) => s + v * x[i], 0),
      col(Ax.map((v, i) => v - b[i])),
    ];
  };
  const r = fmincg(f, col([0, 0, 0]), { maxIter: 20 });
  [1, -2, 0.5].forEach((v, i) => expect(r.theta.data[i]).toBeCloseTo(v, 6));
  expect(nonIncreasing(r.costs)).toBe(true);
});

test("Rosenbrock's valley is followed to (1, 1), the cost never rising", () => {
  const seen: number[] = [];
  const r = fmincg(rosenbrock, col([-1.2, 1]), { maxIter: 200, onIteration: (_i, c) => seen.push(c) });
  expect(r.theta.data[0]).toBeCloseTo(1, 5);
  expect(r.theta.data[1]).toBeCloseTo(1, 5);
  expect(nonIncreasing(r.costs)).toBe(true);
  expect(seen).toEqual(r.costs.slice(1));
  expect(r.evaluations).toBeGreaterThan(r.costs.length - 1);
});

test("a cost that turns NaN is named, with the evaluation it happened at", () => {
  expect(() => fmincg(() => [NaN, col([0])], col([1]), { maxIter: 3 })).toThrow(
    "fmincg: the cost is NaN at evaluation 1: check the cost function",
  );
  expect(() => fmincg((t: NDArray) => [t.data[0] ** 2, col([1, 2])], col([1]), { maxIter: 3 })).toThrow(
    "fmincg: the gradient has 2 values, θ has 1",
  );
});

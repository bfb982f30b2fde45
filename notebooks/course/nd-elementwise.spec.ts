import { NDArray } from "./ndarray";
import * as nd from "./nd";

const rows = (a: NDArray) => a.toArray();

describe("broadcasting", () => {
  const A = nd.array([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  test("a column (n, 1) is added to every column, a row (1, m) to every row, a number everywhere", () => {
    expect(rows(nd.add(A, nd.array([[10], [20]])))).toEqual([
      [11, 12, 13],
      [24, 25, 26],
    ]);
    expect(rows(nd.sub(A, nd.array([[1, 2, 3]])))).toEqual([
      [0, 0, 0],
      [3, 3, 3],
    ]);
    expect(rows(nd.mul(2, A))).toEqual([
      [2, 4, 6],
      [8, 10, 12],
    ]);
    expect(rows(nd.add(nd.array([[1], [2]]), nd.array([[10, 20, 30]])))).toEqual([
      [11, 21, 31],
      [12, 22, 32],
    ]);
  });
  test("shapes that do not broadcast name the function, both shapes and a likely transpose", () => {
    expect(() => nd.add(A, nd.zeros(3, 2))).toThrow(
      "add: shapes (2, 3) and (3, 2) do not broadcast — did you transpose?",
    );
    expect(() => nd.mul(A, nd.zeros(2, 2))).toThrow(
      "mul: shapes (2, 3) and (2, 2) do not broadcast — each dimension must be equal, or 1 in one of them",
    );
  });
  test("a plain array where an NDArray belongs is named, with the fix", () => {
    expect(() => nd.exp([[1, 2]] as unknown as NDArray)).toThrow(
      "exp: the argument must be an NDArray, got a plain array — wrap it with nd.array(…)",
    );
  });
});

describe("element-wise values", () => {
  test("maximum and minimum pick exactly one operand, NaN wins, infinities are handled", () => {
    const x = nd.array([[-Infinity, Infinity, NaN, -2, 3, 1e-300, -0.5]]);
    expect(rows(nd.maximum(x, 0))).toEqual([[0, Infinity, NaN, 0, 3, 1e-300, 0]]);
    expect(rows(nd.minimum(x, 0))).toEqual([[-Infinity, 0, NaN, -2, 0, 0, -0.5]]);
    expect(rows(nd.maximum(nd.array([[0.1 + 0.2]]), 0.3))[0][0]).toBe(0.1 + 0.2); // not rounded through arithmetic
  });
  test("comparisons give 1 and 0, and greater(Z, 0) is 0 at exactly 0 (ReLU′(0) = 0)", () => {
    expect(rows(nd.greater(nd.array([[-1, 0, 2]]), 0))).toEqual([[0, 0, 1]]);
    expect(rows(nd.greaterEqual(nd.array([[-1, 0, 2]]), 0))).toEqual([[0, 1, 1]]);
    expect(rows(nd.equal(nd.array([[1, 2]]), nd.array([[1, 3]])))).toEqual([[1, 0]]);
  });
  test("where chooses value by value, so 0 · ∞ never turns into NaN", () => {
    expect(rows(nd.where(nd.array([[1, 0, 1]]), nd.array([[Infinity, 5, 2]]), -1))).toEqual([[Infinity, -1, 2]]);
  });
  test("sigmoid, exp and log are the element-wise Math functions", () => {
    expect(rows(nd.sigmoid(nd.array([[0, 2]])))).toEqual([[0.5, 1 / (1 + Math.exp(-2))]]);
    expect(rows(nd.log(nd.exp(nd.array([[1.5]]))))).toEqual([[Math.log(Math.exp(1.5))]]);
  });
});

describe("the addon's vectorized passes", () => {
  // Large enough for the addon (4,096 values and more), with the values where max and masks are subtle.
  const special = [NaN, -0, 0, Infinity, -Infinity, 1e-300, -1e-300, 2.5, -2.5];
  const values = Float64Array.from({ length: 200 * 30 }, (_, k) => (k < special.length ? special[k] : Math.sin(k) * 3));
  const Z = new NDArray(200, 30, values),
    V = new NDArray(
      200,
      30,
      Float64Array.from(values, (v, k) => (k % 7 === 0 ? Infinity : v * 1.5 + 1)),
    );
  /** Every value the same, bit for bit as far as JavaScript can tell (Object.is: −0 is not 0, NaN is NaN). */
  const same = (a: NDArray, b: NDArray) => {
    const differ = Array.from(a.data).findIndex((v, k) => !Object.is(v, b.data[k]));
    expect(differ === -1 ? "identical" : `value ${differ}: ${a.data[differ]} against ${b.data[differ]}`).toBe(
      "identical",
    );
  };
  const native = nd.backend().name === "native";

  (native ? test : test.skip)(
    "max and min with a number give exactly the TypeScript loop's values (NaN, ±0 and ∞ included)",
    () => {
      for (const s of [0, -1, 2.5, NaN, -0])
        for (const f of [nd.maximum, nd.minimum])
          same(
            f(Z, s),
            nd.withBackend("js", () => f(Z, s)),
          );
    },
  );
  (native ? test : test.skip)(
    "ReLU's backward step gives exactly the TypeScript loop's values, for every comparison and from a product too",
    () => {
      for (const cmp of [nd.greater, nd.greaterEqual, nd.less, nd.lessEqual])
        for (const s of [0, 1.5])
          same(
            nd.mul(V, cmp(Z, s)),
            nd.withBackend("js", () => nd.mul(V, cmp(Z, s))),
          );
      const W = nd.array(
        Array.from({ length: 4 }, (_, i) => Array.from({ length: 200 }, (_, j) => Math.cos(i * 200 + j))),
      );
      const dZ = new NDArray(
        4,
        30,
        Float64Array.from({ length: 120 }, (_, k) => Math.sin(k)),
      );
      const fused = nd.mul(nd.matmul(nd.transpose(W), dZ), nd.greater(Z, 0));
      const apart = nd.mul(nd.array(nd.matmul(nd.transpose(W), dZ).toArray()), nd.array(nd.greater(Z, 0).toArray()));
      same(fused, apart);
    },
  );
  test("a product masked in the step's output still has its own values when read afterwards", () => {
    const W = nd.array([
        [1, -2],
        [3, 4],
      ]),
      X = nd.array([
        [1, 0],
        [0, 1],
      ]);
    const P = nd.matmul(W, X);
    expect(
      nd
        .mul(
          P,
          nd.greater(
            nd.array([
              [1, 1],
              [-1, 1],
            ]),
            0,
          ),
        )
        .toArray(),
    ).toEqual([
      [1, -2],
      [0, 4],
    ]);
    expect(P.toArray()).toEqual([
      [1, -2],
      [3, 4],
    ]);
  });
});

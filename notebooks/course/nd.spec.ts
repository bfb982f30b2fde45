import { NDArray } from "./ndarray";
import * as nd from "./nd";
import { RandomState } from "./random";

const rows = (a: NDArray) => a.toArray();

const t = (m: number[][]) => m[0].map((_, j) => m.map((r) => r[j]));

/** The textbook triple loop: the reference both backends are held to. */
function naiveProduct(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}

describe("broadcasting", () => {
  const A = nd.array([[1, 2, 3], [4, 5, 6]]);
  test("a column (n, 1) is added to every column, a row (1, m) to every row, a number everywhere", () => {
    expect(rows(nd.add(A, nd.array([[10], [20]])))).toEqual([[11, 12, 13], [24, 25, 26]]);
    expect(rows(nd.sub(A, nd.array([[1, 2, 3]])))).toEqual([[0, 0, 0], [3, 3, 3]]);
    expect(rows(nd.mul(2, A))).toEqual([[2, 4, 6], [8, 10, 12]]);
    expect(rows(nd.add(nd.array([[1], [2]]), nd.array([[10, 20, 30]])))).toEqual([[11, 21, 31], [12, 22, 32]]);
  });
  test("shapes that do not broadcast name the function, both shapes and a likely transpose", () => {
    expect(() => nd.add(A, nd.zeros(3, 2))).toThrow("add: shapes (2, 3) and (3, 2) do not broadcast — did you transpose?");
    expect(() => nd.mul(A, nd.zeros(2, 2))).toThrow("mul: shapes (2, 3) and (2, 2) do not broadcast — each dimension must be equal, or 1 in one of them");
  });
  test("a plain array where an NDArray belongs is named, with the fix", () => {
    expect(() => nd.exp([[1, 2]] as unknown as NDArray)).toThrow("exp: the argument must be an NDArray, got a plain array — wrap it with nd.array(…)");
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

describe("reductions keep two dimensions, like keepdims=True", () => {
  const A = nd.array([[1, 5, 3], [4, 2, 6]]);
  test("sum over axis 0 is (1, m), over axis 1 is (n, 1), over everything a number", () => {
    expect(rows(nd.sum(A, 0))).toEqual([[5, 7, 9]]);
    expect(rows(nd.sum(A, 1))).toEqual([[9], [12]]);
    expect(nd.sum(A)).toBe(21);
    expect(rows(nd.mean(A, 1))).toEqual([[3], [4]]);
  });
  test("max and argmax along an axis; argmax takes the first of equal values", () => {
    expect(rows(nd.max(A, 0))).toEqual([[4, 5, 6]]);
    expect(rows(nd.argmax(A, 0))).toEqual([[1, 0, 1]]);
    expect(rows(nd.argmax(nd.array([[2, 7, 7]]), 1))).toEqual([[1]]);
    expect(nd.max(nd.array([[1, NaN]]))).toBeNaN();
  });
  test("a bad axis is refused with the choices", () => {
    expect(() => nd.sum(A, 2 as 0)).toThrow("sum: axis must be 0 (down the rows), 1 (along each row) or left out, got 2");
  });
});

describe("labels, reshaping and stacking", () => {
  test("takeAlongAxis picks A[Y_j, j] and oneHot puts a 1 in row Y_j of column j", () => {
    const A = nd.array([[0.1, 0.7], [0.9, 0.3]]), Y = nd.array([[1, 0]]);
    expect(rows(nd.takeAlongAxis(A, Y))).toEqual([[0.9, 0.7]]);
    expect(rows(nd.oneHot(Y, 3))).toEqual([[0, 1], [1, 0], [0, 0]]);
  });
  test("a label that is not a class is named with its column", () => {
    expect(() => nd.oneHot(nd.array([[0, 3]]), 3)).toThrow("oneHot: label 3 in column 1 is not a whole number in 0 … 2");
    expect(() => nd.takeAlongAxis(nd.zeros(2, 2), nd.array([[0.5, 1]]))).toThrow("label 0.5 in column 0");
  });
  test("reshape reads row by row; hstack and vstack join; slices cut", () => {
    const A = nd.array([[1, 2, 3], [4, 5, 6]]);
    expect(rows(nd.reshape(A, 3, 2))).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(() => nd.reshape(A, 4, 2)).toThrow("reshape: (2, 3) has 6 values, (4, 2) needs 8");
    expect(rows(nd.hstack([nd.ones(2, 1), A]))).toEqual([[1, 1, 2, 3], [1, 4, 5, 6]]);
    expect(rows(nd.vstack([A, nd.zeros(1, 3)]))).toEqual([[1, 2, 3], [4, 5, 6], [0, 0, 0]]);
    expect(rows(nd.sliceCols(A, 1))).toEqual([[2, 3], [5, 6]]);
    expect(rows(nd.sliceRows(A, 1, 2))).toEqual([[4, 5, 6]]);
  });
  test("randn draws NumPy's normals in row-major order", () => {
    expect(rows(nd.randn(new RandomState(3), 2, 3)).flat()).toEqual(new RandomState(3).randn(6));
  });
});

// The native specs need the addon and an optimised BLAS; elsewhere they are skipped with one line saying
// what is missing (the TypeScript kernel, the fallback, is tested everywhere).
const nativeMissing = hasNative() ? undefined : nd.backend().detail;
if (nativeMissing) process.stderr.write(`nd.spec: native BLAS specs skipped: ${nativeMissing}\n`);
const nativeTest = nativeMissing ? test.skip : test;

describe("transpose and matmul", () => {
  const rng = new RandomState(5);
  const A = nd.randn(rng, 37, 53), B = nd.randn(rng, 53, 41), C = nd.randn(rng, 41, 53);
  const close = (a: number[][], b: number[][]) => a.forEach((r, i) => r.forEach((v, j) => expect(Math.abs(v - b[i][j])).toBeLessThan(1e-12 * (1 + Math.abs(b[i][j])))));
  afterAll(() => hasNative()); // back to the native backend where it loads

  test("a transpose reads its values transposed, and .T is the same", () => {
    expect(rows(nd.transpose(nd.array([[1, 2, 3], [4, 5, 6]])))).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(nd.array([[1, 2]]).T.shape).toEqual([2, 1]);
  });
  const sameAsTextbook = (backend: nd.Backend) => {
    nd.setBackend(backend);
    close(rows(nd.matmul(A, B)), naiveProduct(rows(A), rows(B)));
    close(rows(nd.matmul(A, nd.transpose(C))), naiveProduct(rows(A), t(rows(C))));
    close(rows(nd.matmul(nd.transpose(nd.transpose(A)), B)), naiveProduct(rows(A), rows(B)));
    close(rows(nd.matmul(nd.transpose(B), nd.transpose(A))), naiveProduct(t(rows(B)), t(rows(A))));
  };
  test("the TypeScript kernel equals the textbook product, with and without transposes", () => sameAsTextbook("js"));
  nativeTest("the native BLAS equals the textbook product, with and without transposes", () => sameAsTextbook("native"));
  test.each(["js", "native"] as const)("with the %s backend, a bias added to a product nobody read is the same sum, whatever it broadcasts from", (backend) => {
    if (backend === "native" && nativeMissing) return;
    nd.setBackend(backend);
    const P = naiveProduct(rows(A), rows(B));
    for (const b of [nd.randn(rng, 37, 1), nd.randn(rng, 1, 41), nd.randn(rng, 37, 41), nd.array([[0.5]])]) {
      const expected = P.map((r, i) => r.map((v, j) => v + b.data[(b.rows === 1 ? 0 : i) * b.cols + (b.cols === 1 ? 0 : j)]));
      close(rows(nd.add(nd.matmul(A, B), b)), expected);
      close(rows(nd.add(b, nd.matmul(A, B))), expected);
    }
    const read = nd.matmul(A, B);
    void read.data; // computed already: add adds
    close(rows(nd.add(read, 1)), P.map((r) => r.map((v) => v + 1)));
  });
  test("a value times a comparison nobody read is the same product, NaN and infinities included", () => {
    const Z = nd.array([[-1, 0, 2, NaN], [3, -0, 0.5, -Infinity]]), V = nd.array([[1, -2, 3, 4], [NaN, Infinity, -5, 6]]);
    for (const [cmp, op] of [[nd.greater, (a: number) => +(a > 0)], [nd.greaterEqual, (a: number) => +(a >= 0)], [nd.less, (a: number) => +(a < 0)], [nd.lessEqual, (a: number) => +(a <= 0)]] as const) {
      const expected = rows(V).map((r, i) => r.map((v, j) => v * op(rows(Z)[i][j])));
      for (const got of [nd.mul(V, cmp(Z, 0)), nd.mul(cmp(Z, 0), V)]) expect(rows(got).flat().map(String)).toEqual(expected.flat().map(String));
      expect(rows(cmp(Z, 0))).toEqual(rows(Z).map((r) => r.map(op))); // read on its own: the 0s and 1s
    }
  });
  test("inner dimensions that differ are named, with the likely fix", () => {
    expect(() => nd.matmul(nd.zeros(200, 784), nd.zeros(2000, 784))).toThrow("matmul: (200, 784) · (2000, 784): inner dimensions 784 and 2000 differ — did you mean matmul(a, transpose(b))?");
  });
  nativeTest("the native addon checks lengths itself, so a wrong call is an error, never a read out of bounds", () => {
    const addon = require("./native/build/course_blas.node");
    expect(() => addon.dgemm(false, false, 2, 2, 4, new Float64Array(6), new Float64Array(8), new Float64Array(4))).toThrow("dgemm: an array's length does not match M, N and K");
    expect(() => addon.dgemm(false, false, -1, 2, 3, new Float64Array(0), new Float64Array(6), new Float64Array(0))).toThrow("whole numbers");
    expect(() => addon.dgemm(false, false, 1, 1, 1, [1], [1], [0])).toThrow("A, B and C must be Float64Arrays");
  });
});

function hasNative(): boolean {
  try { nd.setBackend("native"); return true; } catch { return false; }
}

import { NDArray } from "./ndarray";
import * as nd from "./nd";
import { RandomState } from "./random";

const rows = (a: NDArray) => a.toArray();

const t = (m: number[][]) => m[0].map((_, j) => m.map((r) => r[j]));

/** The textbook triple loop: the reference both backends are held to. */
function naiveProduct(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}

// The native specs need the addon and an optimised BLAS; elsewhere they are skipped with one line saying
// what is missing (the TypeScript kernel, the fallback, is tested everywhere).
const nativeMissing = hasNative() ? undefined : nd.backend().detail;
if (nativeMissing) process.stderr.write(`matmul.spec: native BLAS specs skipped: ${nativeMissing}\n`);
const nativeTest = nativeMissing ? test.skip : test;

describe("transpose and matmul", () => {
  const rng = new RandomState(5);
  const A = nd.randn(rng, 37, 53),
    B = nd.randn(rng, 53, 41),
    C = nd.randn(rng, 41, 53);
  const close = (a: number[][], b: number[][]) =>
    a.forEach((r, i) =>
      r.forEach((v, j) => expect(Math.abs(v - b[i][j])).toBeLessThan(1e-12 * (1 + Math.abs(b[i][j])))),
    );
  afterAll(() => hasNative()); // back to the native backend where it loads

  test("a transpose reads its values transposed, and .T is the same", () => {
    expect(
      rows(
        nd.transpose(
          nd.array([
            [1, 2, 3],
            [4, 5, 6],
          ]),
        ),
      ),
    ).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
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
  nativeTest("the native BLAS equals the textbook product, with and without transposes", () =>
    sameAsTextbook("native"),
  );
  test.each(["js", "native"] as const)(
    "with the %s backend, a bias added to a product nobody read is the same sum, whatever it broadcasts from",
    (backend) => {
      if (backend === "native" && nativeMissing) return;
      nd.setBackend(backend);
      const P = naiveProduct(rows(A), rows(B));
      for (const b of [nd.randn(rng, 37, 1), nd.randn(rng, 1, 41), nd.randn(rng, 37, 41), nd.array([[0.5]])]) {
        const expected = P.map((r, i) =>
          r.map((v, j) => v + b.data[(b.rows === 1 ? 0 : i) * b.cols + (b.cols === 1 ? 0 : j)]),
        );
        close(rows(nd.add(nd.matmul(A, B), b)), expected);
        close(rows(nd.add(b, nd.matmul(A, B))), expected);
      }
      const read = nd.matmul(A, B);
      void read.data; // computed already: add adds
      close(
        rows(nd.add(read, 1)),
        P.map((r) => r.map((v) => v + 1)),
      );
    },
  );
  test("a value times a comparison nobody read is the same product, NaN and infinities included", () => {
    const Z = nd.array([
        [-1, 0, 2, NaN],
        [3, -0, 0.5, -Infinity],
      ]),
      V = nd.array([
        [1, -2, 3, 4],
        [NaN, Infinity, -5, 6],
      ]);
    for (const [cmp, op] of [
      [nd.greater, (a: number) => +(a > 0)],
      [nd.greaterEqual, (a: number) => +(a >= 0)],
      [nd.less, (a: number) => +(a < 0)],
      [nd.lessEqual, (a: number) => +(a <= 0)],
    ] as const) {
      const expected = rows(V).map((r, i) => r.map((v, j) => v * op(rows(Z)[i][j])));
      for (const got of [nd.mul(V, cmp(Z, 0)), nd.mul(cmp(Z, 0), V)])
        expect(rows(got).flat().map(String)).toEqual(expected.flat().map(String));
      expect(rows(cmp(Z, 0))).toEqual(rows(Z).map((r) => r.map(op))); // read on its own: the 0s and 1s
    }
  });
  test("inner dimensions that differ are named, with the likely fix", () => {
    expect(() => nd.matmul(nd.zeros(200, 784), nd.zeros(2000, 784))).toThrow(
      "matmul: (200, 784) · (2000, 784): inner dimensions 784 and 2000 differ — did you mean matmul(a, transpose(b))?",
    );
  });
  nativeTest("the native addon checks lengths itself, so a wrong call is an error, never a read out of bounds", () => {
    const addon = require("./native/build/course_blas.node");
    expect(() =>
      addon.dgemm(false, false, 2, 2, 4, new Float64Array(6), new Float64Array(8), new Float64Array(4)),
    ).toThrow("dgemm: an array's length does not match M, N and K");
    expect(() =>
      addon.dgemm(false, false, -1, 2, 3, new Float64Array(0), new Float64Array(6), new Float64Array(0)),
    ).toThrow("whole numbers");
    expect(() => addon.dgemm(false, false, 1, 1, 1, [1], [1], [0])).toThrow("A, B and C must be Float64Arrays");
  });
});

function hasNative(): boolean {
  try {
    nd.setBackend("native");
    return true;
  } catch {
    return false;
  }
}

import { NDArray } from "./ndarray";
import * as nd from "./nd";
import { RandomState } from "./random";

const rows = (a: NDArray) => a.toArray();

describe("reductions keep two dimensions, like keepdims=True", () => {
  const A = nd.array([
    [1, 5, 3],
    [4, 2, 6],
  ]);
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
    expect(() => nd.sum(A, 2 as 0)).toThrow(
      "sum: axis must be 0 (down the rows), 1 (along each row) or left out, got 2",
    );
  });
});

describe("labels, reshaping and stacking", () => {
  test("takeAlongAxis picks A[Y_j, j] and oneHot puts a 1 in row Y_j of column j", () => {
    const A = nd.array([
        [0.1, 0.7],
        [0.9, 0.3],
      ]),
      Y = nd.array([[1, 0]]);
    expect(rows(nd.takeAlongAxis(A, Y))).toEqual([[0.9, 0.7]]);
    expect(rows(nd.oneHot(Y, 3))).toEqual([
      [0, 1],
      [1, 0],
      [0, 0],
    ]);
  });
  test("a label that is not a class is named with its column", () => {
    expect(() => nd.oneHot(nd.array([[0, 3]]), 3)).toThrow(
      "oneHot: label 3 in column 1 is not a whole number in 0 … 2",
    );
    expect(() => nd.takeAlongAxis(nd.zeros(2, 2), nd.array([[0.5, 1]]))).toThrow("label 0.5 in column 0");
  });
  test("reshape reads row by row; hstack and vstack join; slices cut", () => {
    const A = nd.array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(rows(nd.reshape(A, 3, 2))).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(() => nd.reshape(A, 4, 2)).toThrow("reshape: (2, 3) has 6 values, (4, 2) needs 8");
    expect(rows(nd.hstack([nd.ones(2, 1), A]))).toEqual([
      [1, 1, 2, 3],
      [1, 4, 5, 6],
    ]);
    expect(rows(nd.vstack([A, nd.zeros(1, 3)]))).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [0, 0, 0],
    ]);
    expect(rows(nd.sliceCols(A, 1))).toEqual([
      [2, 3],
      [5, 6],
    ]);
    expect(rows(nd.sliceRows(A, 1, 2))).toEqual([[4, 5, 6]]);
  });
  test("randn draws NumPy's normals in row-major order", () => {
    expect(rows(nd.randn(new RandomState(3), 2, 3)).flat()).toEqual(new RandomState(3).randn(6));
  });
});

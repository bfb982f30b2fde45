import { format12 } from "./format";
import { dot, mean, sigmoid, vecMat } from "./nn";

test("dot, vecMat and mean compute the textbook formulas", () => {
  expect(dot([1, 2, 3], [4, -5, 6])).toBe(12);
  expect(
    vecMat(
      [1, 2],
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ),
  ).toEqual([9, 12, 15]);
  expect(mean([1, 2, 6])).toBe(3);
  expect(sigmoid(0)).toBe(0.5);
});

test("shape mistakes name the shapes", () => {
  expect(() => dot([1, 2], [1])).toThrow("dot: lengths differ (2 and 1)");
  expect(() =>
    vecMat(
      [1, 2, 3],
      [
        [1, 2],
        [3, 4],
      ],
    ),
  ).toThrow("vecMat: x has shape (3,) but W has 2 rows — is W (inputs, outputs)?");
  expect(() => mean([])).toThrow("mean: empty list");
});

test("format12 prints like Python 2's str(): 12 significant digits, no trailing zeros", () => {
  // Doubles written as Python prints them (17 digits): the literal is the value the training computes.
  expect(format12(0.26276093850000003)).toBe("0.2627609385"); // eslint-disable-line no-loss-of-precision
  expect(format12(0.19703005801812345)).toBe("0.197030058018"); // eslint-disable-line no-loss-of-precision
  expect(format12(0.5)).toBe("0.5");
});

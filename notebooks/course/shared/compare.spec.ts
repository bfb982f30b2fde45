import { compareValues } from "./compare";

const tol = { rtol: 1e-7, atol: 1e-10 };

test("equal values within tolerance compare ok", () => {
  expect(compareValues([1, 2 + 1e-12], [1, 2], tol).ok).toBe(true);
});
test("a wrong element reports the largest error and its index, not the expected value", () => {
  const r = compareValues(
    [
      [1, 2],
      [3, 4.5],
    ],
    [
      [1, 2],
      [3, 4.123456],
    ],
    tol,
  );
  expect(r.ok).toBe(false);
  expect(r.message).toMatch(/largest error 0.377 at index \[1, 1\]/);
  expect(r.message).not.toContain("4.123456");
});
test("a transposed result is named as such", () => {
  expect(
    compareValues(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
      tol,
    ).message,
  ).toBe("expected shape (3, 2), got shape (2, 3) — did you transpose?");
});
test("NaN and Infinity are reported with where they are", () => {
  expect(compareValues([1, NaN], [1, 2], tol).message).toBe("got NaN at index [1]");
  expect(compareValues(Infinity, 2, tol).message).toBe("got Infinity at the result");
});
test("a number where an array is expected is a shape error", () => {
  expect(compareValues(3, [3], tol).message).toBe("expected shape (1,), got a number");
});
test("records compare field by field and name the field with the error", () => {
  expect(compareValues({ w: [1, 2], loss: 0.5 }, { w: [1, 2], loss: 0.5 }, tol).ok).toBe(true);
  expect(compareValues({ w: [1, 2.5], loss: 0.5 }, { w: [1, 2], loss: 0.5 }, tol).message).toMatch(
    /^largest error 0.500 at w\[1\]/,
  );
  expect(compareValues({ w: [[1, 2]] }, { w: [[1], [2]] }, tol).message).toBe(
    "w: expected shape (2, 1), got shape (1, 2) — did you transpose?",
  );
});
test("a record with missing or extra keys says which keys were expected", () => {
  expect(compareValues({ weights: [1] }, { weights: [1], losses: [2] }, tol).message).toBe(
    "expected keys {weights, losses}, got {weights}",
  );
  expect(compareValues([1], { weights: [1] }, tol).message).toBe(
    "expected a record with keys {weights}, got shape (1,)",
  );
  expect(compareValues({ a: 1 }, [1], tol).message).toBe("expected shape (1,), got a record with keys {a}");
});
test("records are compared by the expected keys, whatever order the learner's record has them in", () => {
  const expected = { weights: [1, 2], losses: [0.5, 0.25], mse: 0.1 };
  expect(compareValues({ mse: 0.1, losses: [0.5, 0.25], weights: [1, 2] }, expected, tol).ok).toBe(true);
  expect(compareValues({ weights: [1, 2], mse: [0.5, 0.25], losses: 0.1 } as any, expected, tol).ok).toBe(false);
});
test("for hidden cases the message says values are off and the tolerance, never an error's size nor an index", () => {
  const r = compareValues([1, 2.5, 9], [1, 2, 3], tol, "coarse");
  expect(r).toEqual({
    ok: false,
    message: "wrong values in the result: off by more than the tolerance (tolerance rtol 1e-7, atol 1e-10)",
  });
  expect(compareValues([1, 2], [1, 2], tol, "coarse").ok).toBe(true);
  expect(compareValues([1, NaN], [1, 2], tol, "coarse").message).toBe(
    "got a value that is not finite (NaN or ±Infinity) in the result",
  );
  expect(compareValues({ w: [1], losses: [1, 9] }, { w: [1], losses: [1, 2] }, tol, "coarse").message).toMatch(
    /^wrong values in losses: /,
  );
});

test("for hidden cases a structural difference shows none of the learner's keys and no size", () => {
  const secret = "in=[[0.5,-1.5,3]]";
  const keyed = compareValues({ [secret]: 0 } as any, [1, 2, 3], tol, "coarse").message;
  expect(keyed).toBe("wrong shape: expected an array of 1 dimension, got a record");
  const extra = compareValues({ w: 1, [secret]: 0 } as any, { w: 1 }, tol, "coarse").message;
  expect(extra).toBe("expected only the keys {w}");
  expect(compareValues({} as any, { w: 1 }, tol, "coarse").message).toBe("expected keys {w}; missing: w");
  const sized = compareValues(new Array(2201).fill(0), [1, 2, 3], tol, "coarse").message;
  expect(sized).toBe("wrong shape: the sizes differ from the ones the inputs call for");
  const flat = compareValues([1, 2, 3], [[1], [2], [3]], tol, "coarse").message;
  expect(flat).toBe("wrong shape: expected an array of 2 dimensions, got an array of 1 dimension");
  for (const m of [keyed, extra, sized, flat]) expect(m).not.toMatch(/\d{2,}|in=/);
});

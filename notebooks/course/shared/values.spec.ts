import { isPlain } from "./values";

test("numbers, arrays and plain records of them are plain", () => {
  expect([isPlain(1), isPlain([1, [2, 3]]), isPlain({ a: [1], b: { c: NaN } }), isPlain([])]).toEqual([
    true,
    true,
    true,
    true,
  ]);
});
test("an array with holes is not plain, wherever the hole is", () => {
  expect(isPlain(new Array(3))).toBe(false);
  expect(isPlain([1, , 3])).toBe(false); // eslint-disable-line no-sparse-arrays
  expect(isPlain({ w: [[1, 2], new Array(2)] })).toBe(false);
});
test("strings, functions, class instances, symbol keys and deep nesting are not plain", () => {
  class P {
    x = 1;
  }
  let deep: unknown = 1;
  for (let i = 0; i < 20; i++) deep = [deep];
  expect([
    isPlain("1"),
    isPlain(() => 1),
    isPlain(new P()),
    isPlain({ [Symbol("s")]: 1 }),
    isPlain(deep),
    isPlain(null),
    isPlain(undefined),
  ]).toEqual([false, false, false, false, false, false, false]);
});

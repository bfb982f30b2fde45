import { invokePart, NotDefined } from "./invoke";

test("a function part is called by name with its arguments made live", () => {
  const defs = { twice: (xs: number[]) => xs.map((x) => 2 * x) };
  expect(invokePart(defs, { name: "twice" }, [[1, 2]])).toEqual([2, 4]);
});

test("a case argument is a copy: a function that changes it does not change the next case", () => {
  const args = [[1, 2]];
  invokePart({ clear: (xs: number[]) => xs.splice(0) }, { name: "clear" }, args);
  expect(args).toEqual([[1, 2]]);
});

test("a missing or non-function name is NotDefined, saying what was found", () => {
  const missing = () => invokePart({}, { name: "relu" }, []);
  expect(missing).toThrow(NotDefined);
  expect(missing).toThrow("function `relu` not found — run the cell that defines it");
  expect(() => invokePart({ relu: 3 }, { name: "relu" }, [])).toThrow("`relu` is a number, not a function");
  expect(() => invokePart({}, { name: "Net.train", method: { stateFields: [] } }, [{}])).toThrow(
    "class `Net` not found",
  );
});

class Counter {
  count = 0;
  step(by: number) {
    this.count += by;
    return this.count;
  }
}

test("a method part runs on a fresh instance whose fields come from args[0], and reports its state and return", () => {
  const part = { name: "Counter.step", method: { stateFields: ["count"] } };
  expect(invokePart({ Counter }, part, [{ count: 5 }, 2])).toEqual({ state: { count: 7 }, returned: 7 });
  expect(invokePart({ Counter }, part, [{}, 1])).toEqual({ state: { count: 1 }, returned: 1 });
});

test("a renamed method or field is named in the error", () => {
  expect(() => invokePart({ Counter }, { name: "Counter.tick", method: { stateFields: [] } }, [{}])).toThrow(
    "Counter has no method `tick` — was it renamed?",
  );
  expect(() => invokePart({ Counter }, { name: "Counter.step", method: { stateFields: ["total"] } }, [{}, 1])).toThrow(
    "after step, the Counter has no field `total` — was it renamed?",
  );
});

test("a constructor that throws is reported with its error, read without running getters", () => {
  class Broken {
    constructor() {
      throw new RangeError("no layers");
    }
  }
  expect(() => invokePart({ Broken }, { name: "Broken.run", method: { stateFields: [] } }, [{}])).toThrow(
    "new Broken() threw RangeError: no layers",
  );
});

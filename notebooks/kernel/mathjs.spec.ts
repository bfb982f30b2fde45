// The course's mathjs (mathjs.js) must be the package to every notebook: the same names, each the
// same kind of thing with the same typed signatures, the same results — only made when first used.
import * as fs from "fs";
import * as path from "path";
import Module = require("module");

type Namespace = Record<string, any>;
const SHIM = path.join(__dirname, "mathjs.js");
const INSTANCE = Symbol.for("course.mathjs.instance");
const pkg: Namespace = require("mathjs");
const shim: Namespace = require(SHIM);
const made = () => (shim as { [INSTANCE]: () => unknown })[INSTANCE]();

/** What a name holds, as far as a notebook can tell: its kind, a function's name, arity and typed signatures, a value. */
function profile(v: unknown): unknown {
  if (typeof v === "function") {
    const signatures = (v as { signatures?: object }).signatures;
    return { fn: v.name, length: v.length, signatures: signatures ? Object.keys(signatures).sort() : undefined };
  }
  if (typeof v === "object" && v !== null) return { object: Object.keys(v).sort() };
  return { value: v };
}

test("listing the names and importing them as a namespace makes no function yet", () => {
  expect(Object.keys(shim).length).toBeGreaterThan(1000);
  // TypeScript's `import * as math` (tslab compiles cells to CommonJS) keeps a module marked __esModule as it is.
  expect(shim.__esModule).toBe(true);
  expect(made()).toBeUndefined();
});

test("it has the installed package's names, in its order (mathjs-names.json is for this version of mathjs)", () => {
  const names = JSON.parse(fs.readFileSync(path.join(__dirname, "mathjs-names.json"), "utf8"));
  // After updating mathjs: node -e 'const m=require("mathjs");console.log(JSON.stringify({version:require("mathjs/package.json").version,names:Object.keys(m)}))' > notebooks/kernel/mathjs-names.json
  expect(names.version).toBe(require("mathjs/package.json").version);
  expect(Object.keys(shim)).toEqual(Object.keys(pkg));
});

test("every name holds what the package's holds: functions with the same signatures, the same constants", () => {
  const differ = Object.keys(pkg).filter((name) => {
    const a = JSON.stringify(profile(pkg[name])),
      b = JSON.stringify(profile(shim[name]));
    return a !== b;
  });
  expect(differ).toEqual([]);
  expect(made()).toBeDefined();
});

test("the course's computations give the package's results", () => {
  const run = (m: Namespace) => {
    const X = m.matrix([
      [1, -2, 0.5],
      [3, 0, -1],
    ]);
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    return [
      m.map(X, sigmoid).toArray(),
      m.map(X, m.exp).toArray(),
      m.multiply(X, m.transpose(X)).toArray(),
      m.dot([1, 2, 3], [4, 5, 6]),
      m.subtract(m.add(X, 1), m.dotMultiply(X, X)).toArray(),
      m.sum(X),
      m.mean([1, 2, 3, 4]),
      m.size(X).valueOf(),
      m.format(m.pi, { precision: 10 }),
      m.sqrt(-4).toString(),
      m.evaluate("2 * x + 1", { x: 3 }),
      m.isMatrix(X),
    ];
  };
  expect(run(shim)).toEqual(run(pkg));
});

test("its configuration is read-only, as the package's", () => {
  expect(() => shim.config({ number: "BigNumber" })).toThrow(/readonly/);
  expect(shim.config()).toEqual(pkg.config());
});

test("the kernel routes `mathjs` from the notebooks' files to it, and leaves packages the package", () => {
  const { routeMathjs } = require("./route-mathjs.js");
  const fakeModule = { _resolveFilename: (request: string) => `resolved:${request}` };
  const notebooks = path.join(__dirname, "..");
  routeMathjs(fakeModule, notebooks, SHIM);
  const from = (filename: string) => fakeModule._resolveFilename.call(Module, "mathjs", { filename });
  expect(from(path.join(notebooks, "src.js"))).toBe(SHIM); // a cell (tslab requires from <notebooks>/src.js)
  expect(from(path.join(notebooks, "course", "tensor.js"))).toBe(SHIM); // the course helper
  expect(from(SHIM)).toBe("resolved:mathjs"); // the shim's own fallback
  expect(from(path.join(notebooks, "node_modules", "x", "index.js"))).toBe("resolved:mathjs");
  expect(from("/elsewhere/src.js")).toBe("resolved:mathjs");
  expect(fakeModule._resolveFilename.call(Module, "random-js", { filename: path.join(notebooks, "src.js") })).toBe(
    "resolved:random-js",
  );
});

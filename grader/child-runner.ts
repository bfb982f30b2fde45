// Runs inside the isolated child process (see run-isolated.ts). Self-contained: the parent
// transpiles this one file and starts it with `node -e`. It executes the learner's compiled
// cells the way tslab's executor does, then answers "call" requests with plain data only.
// It never receives an expected value.
import * as vm from "vm";
import * as util from "util";
import Module = require("module");

type Msg =
  | { type: "load"; root: string; cells: { cell: number; js: string; topLevelAwait: boolean }[]; side: { path: string; data: string }[]; addon?: string }
  | { type: "call"; id: number; name: string; args: unknown[]; target: Target };

const send = (m: object) => process.send!(m);
// NOTE: like tslab, declarations live on one shared `exports` object and later cells read them
// as `exports.name`, so a later definition overrides an earlier one, as in the kernel.
const exportsObj: Record<string, any> = {};
const cellExports = new Proxy(exportsObj, {
  defineProperty: (_t, prop, attrs) => {
    if (prop !== "__esModule") exportsObj[prop as string] = attrs.get ? attrs.get() : attrs.value;
    return true;
  },
});
let mathjs: any;
let requireHere: (id: string) => any;
/** mathjs, loaded on first use only: it takes ~0.6 s and most sections never touch it. */
const math = () => (mathjs ??= requireHere("mathjs"));

function makeRequire(root: string, side: Map<string, string>) {
  const base = Module.createRequire(root + "/src.js");
  const cache = new Map<string, any>();
  const noop = () => undefined;
  const tslabStub = { display: new Proxy({}, { get: () => noop }) };
  function loadSide(file: string): any {
    if (cache.has(file)) return cache.get(file);
    const mod: any = { exports: {} };
    cache.set(file, mod.exports);
    const dir = file.slice(0, file.lastIndexOf("/"));
    const req = (id: string) => requireFrom(dir, id);
    vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${side.get(file)}\n})`)(mod.exports, req, mod, file, dir);
    let result = mod.exports;
    if (file === `${root}/course/ndarray.js`) trustNDArray(result.NDArray, result.array);
    // The notebook helper: keep its maths, silence its checks, plots and demonstration cells while grading.
    if (file === `${root}/course.js`) {
      const quiet = Object.fromEntries(Object.keys(result).filter((k) => /^plot/.test(k)).map((k) => [k, async () => undefined]));
      result = { ...result, ...quiet, checker: () => () => true, demo: async () => undefined };
    }
    cache.set(file, result);
    return result;
  }
  function requireFrom(dir: string, id: string): any {
    if (id === "tslab") return tslabStub;
    if (id.endsWith(".node")) {
      if (addon && require("path").resolve(dir, id) === addon.path) return addon.exports;
      throw new Error(`cannot load the native addon "${id}" while grading`);
    }
    if (id.startsWith(".")) {
      const file = require("path").resolve(dir, id).replace(/(\.js)?$/, ".js");
      const index = file.replace(/\.js$/, "/index.js");
      if (side.has(file)) return loadSide(file);
      if (side.has(index)) return loadSide(index);
      if (id.endsWith("esm-import.js")) return async () => ({});
      throw new Error(`cannot import "${id}" while grading: only the course helper and npm packages are available`);
    }
    return base(id);
  }
  return (id: string) => requireFrom(root, id);
}

/** The course's BLAS addon, loaded before any learner code; afterwards no addon can be loaded. */
let addon: { path: string; exports: unknown } | undefined;
function loadAddonThenLock(file: string | undefined) {
  if (file) {
    try { addon = { path: file, exports: require(file) }; } catch { addon = undefined; }
  }
  // NOTE: Node's permission model checks no file permission in dlopen, so with --allow-addons any
  // .node file on disk could be loaded: after ours, loading is switched off for good.
  const refuse = () => { throw new Error("loading native addons is not allowed while grading"); };
  Object.defineProperty(process, "dlopen", { value: refuse, writable: false, configurable: false });
}

async function load(msg: Extract<Msg, { type: "load" }>) {
  loadAddonThenLock(msg.addon);
  const req = makeRequire(msg.root, new Map(msg.side.map((s) => [s.path, s.data])));
  requireHere = req;
  const errors: { cell: number; message: string }[] = [];
  for (const c of msg.cells) {
    send({ type: "cell", cell: c.cell });
    try {
      const wrapped = `(${c.topLevelAwait ? "async " : ""}function (exports, require) { ${c.js}\n})`;
      await vm.runInThisContext(wrapped, { filename: `cell ${c.cell}` })(cellExports, req);
    } catch (e) {
      errors.push({ cell: c.cell, message: describeError(e) });
    }
  }
  send({ type: "loaded", errors });
}

const describeError = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : `threw ${typeof e}`);

/** The NDArray class and its `data` getter as the course defines them, captured before learner code can patch them. */
let trusted: { proto: object; data: () => unknown; array: (rows: number[][]) => unknown } | undefined;
function trustNDArray(cls: any, array: any) {
  const data = Object.getOwnPropertyDescriptor(cls.prototype, "data")?.get;
  if (data) trusted = { proto: cls.prototype, data, array };
}
const ndModule = () => { if (!trusted) requireHere("./course/ndarray"); return trusted!; };

/** A case argument with its markers made live (see notebooks/course/values.ts): mathjs matrices, NDArrays, the learner's functions. */
function liveArg(a: any): unknown {
  if (Array.isArray(a)) return a.map(liveArg);
  if (a === null || typeof a !== "object") return a;
  const keys = Object.keys(a);
  if (keys.length === 1 && keys[0] === "matrix") return math().matrix(a.matrix);
  if (keys.length === 1 && keys[0] === "nd") return ndModule().array(a.nd);
  if (keys.length === 1 && keys[0] === "fn") {
    if (typeof exportsObj[a.fn] !== "function") throw new Error(`function \`${a.fn}\` not found`);
    return exportsObj[a.fn];
  }
  return Object.fromEntries(keys.map((k) => [k, liveArg(a[k])]));
}

/** An NDArray as nested rows, read through the course's own getter; anything that only looks like one is rejected. */
function ndRows(v: object): number[][] {
  const own = (k: string) => Object.getOwnPropertyDescriptor(v, k);
  const rows = own("rows")?.value, cols = own("cols")?.value;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) return reject("an NDArray with a broken shape");
  const data = trusted!.data.call(v);
  if (!util.types.isFloat64Array(data) || Object.getPrototypeOf(data) !== Float64Array.prototype || (data as Float64Array).length !== rows * cols) return reject("an NDArray whose values do not match its shape");
  if (rows * cols > MAX_VALUES) return reject(`an NDArray of ${rows * cols} values (more than ${MAX_VALUES})`);
  const d = data as Float64Array, out: number[][] = [];
  for (let i = 0; i < rows; i++) out.push(Array.from(d.subarray(i * cols, (i + 1) * cols)));
  return out;
}
const MAX_VALUES = 2_000_000;

/** Learner values become plain numbers and arrays, or a reason why they cannot. */
function toPlain(v: unknown, depth = 0): unknown {
  if (typeof v === "number") return v;
  if (depth > 8) throw new TypeError("nested too deeply");
  if (typeof v !== "object" || v === null) return reject(`a ${v === null ? "null" : typeof v}`);
  if (util.types.isProxy(v)) return reject("a Proxy");
  if (util.types.isPromise(v)) return reject("a Promise — the function should not be async");
  if ((v as any).isMatrix === true && math().isMatrix(v) && Object.getPrototypeOf(v) === math().DenseMatrix.prototype) return toPlain((v as any).toArray(), depth);
  if (v instanceof Float64Array || v instanceof Float32Array) {
    if (Object.getPrototypeOf(v) !== Float64Array.prototype && Object.getPrototypeOf(v) !== Float32Array.prototype) return reject("a typed-array subclass");
    return Array.from(v);
  }
  if (trusted && Object.getPrototypeOf(v) === trusted.proto) return ndRows(v);
  if (!Array.isArray(v)) return record(v, depth);
  if (Object.getPrototypeOf(v) !== Array.prototype) return reject("an array subclass");
  const out: unknown[] = [];
  for (let i = 0; i < v.length; i++) {
    const d = Object.getOwnPropertyDescriptor(v, i);
    if (!d || !("value" in d)) return reject(d ? "an array with a getter" : "an array with holes");
    out.push(toPlain(d.value, depth + 1));
  }
  return out;
}
/** A plain record ({ weights, losses }): own data properties only, each a plain value. */
function record(v: object, depth: number): Record<string, unknown> {
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return reject(`an instance of ${proto?.constructor?.name || "a class"}`);
  const out: Record<string, unknown> = Object.create(null);
  if (Object.getOwnPropertySymbols(v).length) return reject("an object with symbol keys");
  for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(v))) {
    if (!("value" in d)) return reject(`an object with a getter (${k})`);
    if (d.value === undefined) continue; // left out, as JSON does (`loss` when there are no labels)
    out[k] = toPlain(d.value, depth + 1);
  }
  return out;
}
function reject(what: string): never { throw new TypeError(`returned ${what}, expected numbers, arrays or records of them`); }

/** What a call asks for: a function, a method of a fresh instance of a class, or an answer constant. */
type Target = { kind: "function" } | { kind: "method"; fields: string[] } | { kind: "answer" };

function call(msg: Extract<Msg, { type: "call" }>) {
  const reply = (r: object) => send({ type: "result", id: msg.id, ...r });
  if (msg.target.kind === "answer") return reply(answerValue(exportsObj[msg.name]));
  let args: unknown[];
  try {
    args = msg.args.map(liveArg);
  } catch (e) {
    return reply({ threw: describeError(e) });
  }
  let run: () => unknown;
  if (msg.target.kind === "method") {
    const [className, method] = msg.name.split(".");
    const Cls = exportsObj[className];
    if (typeof Cls !== "function") return reply({ missing: Cls === undefined ? `class \`${className}\` not found` : `\`${className}\` is a ${typeof Cls}, not a class` });
    const fields = msg.target.fields;
    run = () => {
      let obj: any;
      try { obj = new Cls(); } catch (e) { throw new Error(`new ${className}() threw ${describeError(e)}`); }
      Object.assign(obj, args[0]);
      if (typeof obj[method] !== "function") throw new Error(`${className} has no method \`${method}\` — was it renamed?`);
      const returned = obj[method](...args.slice(1));
      const missing = fields.filter((f) => !(f in obj));
      if (missing.length) throw new Error(`after ${method}, the ${className} has no field ${missing.map((f) => `\`${f}\``).join(", ")} — was it renamed?`);
      const out: Record<string, unknown> = { state: Object.fromEntries(fields.map((f) => [f, obj[f]])) };
      if (returned !== undefined) out.returned = returned;
      return out;
    };
  } else {
    const fn = exportsObj[msg.name];
    if (typeof fn !== "function") return reply({ missing: fn === undefined ? "not found" : `is a ${typeof fn}, not a function` });
    run = () => fn(...args);
  }
  let value: unknown;
  try {
    value = run();
  } catch (e) {
    return reply({ threw: describeError(e) });
  }
  try {
    reply({ value: toPlain(value) });
  } catch (e) {
    reply({ wrongType: (e as Error).message });
  }
}

/** An answer constant: a number, or a list of choice letters; null means not answered yet. */
function answerValue(v: unknown): object {
  if (v === undefined) return { missing: "not found" };
  if (v === null) return { unanswered: true };
  if (typeof v === "number") return { value: v };
  if (Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype && v.length <= 26 && v.every((x) => typeof x === "string" && x.length <= 8)) return { value: [...v] };
  return { wrongType: `is ${util.types.isProxy(v) ? "a Proxy" : typeof v}, expected a number or a list of letters` };
}

process.on("message", (msg: Msg) => {
  if (msg.type === "load") load(msg).catch((e) => send({ type: "loaded", errors: [{ cell: 0, message: describeError(e) }] }));
  else if (msg.type === "call") call(msg);
});
send({ type: "ready" });

// Runs inside the isolated child process (see run-isolated.ts). Self-contained: the parent
// transpiles this one file and starts it with `node -e`. It executes the learner's compiled
// cells the way tslab's executor does, then answers "call" requests with plain data only.
// It never receives an expected value.
import * as vm from "vm";
import * as util from "util";
import Module = require("module");
import * as pathModule from "path";

// Node's own require, kept before the lockdown below removes the global one (node -e defines it).
const nodeRequire = require;

/** Packages learner cells may import, besides the course helper (./course): what the course uses. */
const LEARNER_PACKAGES = new Set(["mathjs", "random-js", "d3-contour", "csv-parse/sync", "pngjs", "vega", "vega-lite"]);

type Msg =
  | { type: "load"; root: string; cells: { cell: number; js: string; topLevelAwait: boolean }[]; side: { path: string; data: string }[]; addon?: string }
  | { type: "call"; id: number; name: string; args: unknown[]; target: Target }
  | { type: "ping" };

// Kept before learner code runs: a learner who replaces process.send cannot silence the replies.
const processSend = process.send!.bind(process);
const send = (m: object) => processSend(m);
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
      if (addon && pathModule.resolve(dir, id) === addon.path) return addon.exports;
      throw new Error(`cannot load the native addon "${id}" while grading`);
    }
    if (id.startsWith(".")) {
      const file = pathModule.resolve(dir, id).replace(/(\.js)?$/, ".js");
      const index = file.replace(/\.js$/, "/index.js");
      if (side.has(file)) return loadSide(file);
      if (side.has(index)) return loadSide(index);
      if (id.endsWith("esm-import.js")) return async () => ({});
      throw new Error(`cannot import "${id}" while grading: only the course helper and npm packages are available`);
    }
    return base(id);
  }
  /** The require of learner cells: the course helper, its packages, nothing of Node's own. */
  const learnerRequire = (id: string) => {
    if (id === "tslab" || id.startsWith(".") || LEARNER_PACKAGES.has(id)) return requireFrom(root, id);
    throw new Error(`cannot import "${id}" while grading: only the course helper (./course) and ${[...LEARNER_PACKAGES].join(", ")} are available`);
  };
  return { req: (id: string) => requireFrom(root, id), learnerRequire };
}

/** The course's BLAS addon, loaded before any learner code; afterwards no addon can be loaded. */
let addon: { path: string; exports: unknown } | undefined;
function loadAddonThenLock(file: string | undefined) {
  if (file) {
    try { addon = { path: file, exports: nodeRequire(file) }; } catch { addon = undefined; }
  }
  // NOTE: Node's permission model checks no file permission in dlopen, so with --allow-addons any
  // .node file on disk could be loaded: after ours, loading is switched off for good.
  const refuse = () => { throw new Error("loading native addons is not allowed while grading"); };
  Object.defineProperty(process, "dlopen", { value: refuse, writable: false, configurable: false });
}

/**
 * What learner code must not reach, taken away before it runs (the OS sandbox is the real wall
 * where it exists — see docs/security.md; this makes the errors clear and covers systems without it).
 */
function lockDown(): void {
  const refuse = (what: string) => () => { throw new Error(`${what} is not available while grading`); };
  for (const g of ["require", "module", "exports", "__filename", "__dirname"]) delete (globalThis as any)[g];
  for (const g of ["fetch", "WebSocket", "EventSource"]) if (g in globalThis) Object.defineProperty(globalThis, g, { value: refuse(g), writable: false, configurable: false });
  const own = process.pid, kill = process.kill.bind(process);
  const lock = (name: string, value: unknown) => Object.defineProperty(process, name, { value, writable: false, configurable: false });
  lock("getBuiltinModule", refuse("process.getBuiltinModule"));
  lock("kill", (pid: number, signal?: string | number) => (pid === own ? kill(pid, signal) : refuse("signalling another process")()));
  lock("_kill", refuse("process._kill"));
}

async function load(msg: Extract<Msg, { type: "load" }>) {
  loadAddonThenLock(msg.addon);
  lockDown();
  const { req, learnerRequire } = makeRequire(msg.root, new Map(msg.side.map((s) => [s.path, s.data])));
  requireHere = req;
  const errors: { cell: number; message: string }[] = [];
  for (const c of msg.cells) {
    send({ type: "cell", cell: c.cell });
    try {
      const wrapped = `(${c.topLevelAwait ? "async " : ""}function (exports, require) { ${c.js}\n})`;
      await vm.runInThisContext(wrapped, { filename: `cell ${c.cell}` })(cellExports, learnerRequire);
    } catch (e) {
      errors.push({ cell: c.cell, message: describeError(e) });
    }
  }
  send({ type: "loaded", errors });
}

/**
 * "TypeError [ERR_ACCESS_DENIED]: …" from what a learner's code threw, read from data properties
 * only (an error's `message` can be a getter that never returns) and cut to 300 characters.
 */
function describeError(e: unknown): string {
  if (typeof e !== "object" || e === null) return `threw ${typeof e}`;
  const field = (o: object | null, k: string): string | undefined => {
    for (let p = o; p; p = getPrototypeOf(p)) {
      const d = getOwnPropertyDescriptor(p, k);
      if (d) return "value" in d && typeof d.value === "string" ? d.value : undefined;
    }
    return undefined;
  };
  const code = field(e, "code");
  return `${field(e, "name") ?? "Error"}${code ? ` [${code}]` : ""}: ${field(e, "message") ?? "(no message)"}`.slice(0, 300);
}

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
  const own = (k: string) => getOwnPropertyDescriptor(v, k);
  const rows = own("rows")?.value, cols = own("cols")?.value;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) return reject("an NDArray with a broken shape");
  const data = trusted!.data.call(v);
  if (!isFloat64Array(data) || getPrototypeOf(data) !== TYPED_PROTOS[0] || (data as Float64Array).length !== rows * cols) return reject("an NDArray whose values do not match its shape");
  if ((budget -= rows * cols) < 0) return reject(`more than ${MAX_VALUES} numbers`);
  const d = data as Float64Array, out = new ArrayCtor<number[]>(rows);
  for (let i = 0; i < rows; i++) {
    const row = (out[i] = new ArrayCtor<number>(cols));
    for (let j = 0; j < cols; j++) row[j] = d[i * cols + j];
  }
  return out;
}
const MAX_VALUES = 2_000_000;

// Intrinsics captured before learner code runs: a learner who patches Object, Array or their
// prototypes changes their own results, never how honest results travel to the grader.
const { getPrototypeOf, getOwnPropertyDescriptor, getOwnPropertyDescriptors, getOwnPropertySymbols, keys: objectKeys } = Object;
const { isArray } = Array;
const ArrayCtor = Array, ARRAY_PROTO = Array.prototype, OBJECT_PROTO = Object.prototype;
const TYPED_PROTOS = [Float64Array.prototype, Float32Array.prototype];
const { isProxy, isPromise, isFloat64Array, isFloat32Array } = util.types;

/** Learner values become plain numbers and arrays, or a reason why they cannot. Never calls learner code (no getters, no valueOf). */
let budget = 0; // numbers left for the value being converted (MAX_VALUES each)
function toPlain(v: unknown, depth = 0): unknown {
  if (depth === 0) budget = MAX_VALUES;
  if (--budget < 0) return reject(`more than ${MAX_VALUES} numbers`);
  if (typeof v === "number") return v;
  if (depth > 8) return reject("values nested more than 8 deep");
  if (typeof v !== "object" || v === null) return reject(`a ${v === null ? "null" : typeof v}`);
  if (isProxy(v)) return reject("a Proxy");
  if (isPromise(v)) return reject("a Promise — the function should not be async");
  const proto = getPrototypeOf(v);
  if (mathjs && proto === mathjs.DenseMatrix.prototype) return toPlain(mathjs.DenseMatrix.prototype.toArray.call(v), depth);
  if (isFloat64Array(v) || isFloat32Array(v)) {
    if (!TYPED_PROTOS.includes(proto)) return reject("a typed-array subclass");
    if ((budget -= v.length) < 0) return reject(`more than ${MAX_VALUES} numbers`);
    const out = new ArrayCtor<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  }
  if (trusted && proto === trusted.proto) return ndRows(v);
  if (!isArray(v)) return record(v, proto, depth);
  if (proto !== ARRAY_PROTO) return reject("an array subclass");
  const n = v.length, out = new ArrayCtor<unknown>(n);
  for (let i = 0; i < n; i++) {
    const d = getOwnPropertyDescriptor(v, i);
    if (!d || !("value" in d)) return reject(d ? "an array with a getter" : "an array with holes");
    out[i] = toPlain(d.value, depth + 1);
  }
  return out;
}
/** The class's name, read through data properties only (a `static get name()` or a Proxy must not run). */
function className(proto: object): string {
  if (isProxy(proto)) return "a class";
  const ctor = getOwnPropertyDescriptor(proto, "constructor")?.value;
  const name = typeof ctor === "function" && !isProxy(ctor) ? getOwnPropertyDescriptor(ctor, "name")?.value : undefined;
  return typeof name === "string" && name ? name.slice(0, 60) : "a class";
}
/** A plain record ({ weights, losses }): own data properties only, each a plain value. */
function record(v: object, proto: object | null, depth: number): Record<string, unknown> {
  if (proto !== OBJECT_PROTO && proto !== null) return reject(`an instance of ${className(proto)}`);
  if (getOwnPropertySymbols(v).length) return reject("an object with symbol keys");
  const out: Record<string, unknown> = Object.create(null), descriptors = getOwnPropertyDescriptors(v);
  for (const k of objectKeys(descriptors)) {
    const d = descriptors[k];
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

// A learner's stray async error (a timer that throws, a rejected promise nobody awaits) must not
// end the process for every later call; the grader's gone, so is this process.
process.on("uncaughtException", () => undefined);
process.on("unhandledRejection", () => undefined);
process.on("disconnect", () => process.exit(0));
process.on("message", (msg: Msg) => {
  if (msg.type === "load") load(msg).catch((e) => send({ type: "loaded", errors: [{ cell: 0, message: describeError(e) }] }));
  else if (msg.type === "call") call(msg);
  else if (msg.type === "ping") send({ type: "pong" }); // the event loop still turns after the top-level code
});
send({ type: "ready" });

// Runs inside the isolated child process (see run-isolated.ts). Self-contained: the parent
// transpiles this one file and starts it with `node -e`. It executes the learner's compiled
// cells the way tslab's executor does, then answers "call" requests with plain data only.
// It never receives an expected value, and it talks to the grader on two private pipes (fd 3 in,
// fd 4 out) that learner code cannot reach: no IPC channel, no stdio streams, no handle lists.
import * as vm from "vm";
import * as util from "util";
import Module = require("module");
import * as pathModule from "path";
import type { CallTarget, ChildCell, FromChild, Outcome, Thrown, ToChild, WrongTypeReason } from "./protocol";

// Node's own require and what the channel needs, kept before the lockdown below removes them.
const nodeRequire = require;
const fs = nodeRequire("fs"), net = nodeRequire("net"), v8 = nodeRequire("v8");
const IN_FD = 3, OUT_FD = 4;
const MAX_MESSAGE = 300;

// Intrinsics captured before learner code runs: a learner who patches Object, Array, Buffer or their
// prototypes changes their own results, never how results travel to the grader.
const uncurry = (f: (...a: any[]) => any) => Function.prototype.call.bind(f) as (self: Buffer, ...a: any[]) => any;
const { getPrototypeOf, getOwnPropertyDescriptor, getOwnPropertyDescriptors, getOwnPropertySymbols, keys: objectKeys, defineProperty, freeze, create } = Object;
const { isArray } = Array;
const ArrayCtor = Array, ARRAY_PROTO = Array.prototype, OBJECT_PROTO = Object.prototype;
const TYPED_PROTOS = [Float64Array.prototype, Float32Array.prototype];
const { isProxy, isPromise, isFloat64Array, isFloat32Array } = util.types;
const serialize: (v: unknown) => Buffer = v8.serialize, deserialize: (b: Buffer) => unknown = v8.deserialize;
const writeSync: (fd: number, b: Buffer, offset?: number) => number = fs.writeSync;
const bufferAlloc = Buffer.alloc, bufferConcat = Buffer.concat;
const writeU32: (b: Buffer, value: number, offset: number) => number = uncurry(Buffer.prototype.writeUInt32BE);
const readU32: (b: Buffer, offset: number) => number = uncurry(Buffer.prototype.readUInt32BE);
const subarray: (b: Buffer, start: number, end?: number) => Buffer = uncurry(Buffer.prototype.subarray);
const reallyExit: (code: number) => never = (process as any).reallyExit.bind(process);
const ERRORS = [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError].map((E) => ({ proto: E.prototype, name: E.name }));

/** One frame, written synchronously: a "cell" message is out before the cell's code runs (even one that never returns). */
function send(m: FromChild): void {
  const body = serialize(m), head = bufferAlloc(4);
  writeU32(head, body.length, 0);
  for (const b of [head, body]) for (let off = 0; off < b.length; ) off += writeSync(OUT_FD, b, off);
}

// NOTE: like tslab, declarations live on one shared `exports` object and later cells read them
// as `exports.name`, so a later definition overrides an earlier one, as in the kernel.
const exportsObj: Record<string, any> = {};
const cellExports = new Proxy(exportsObj, {
  defineProperty: (_t, prop, attrs) => {
    if (prop !== "__esModule") exportsObj[prop as string] = attrs.get ? attrs.get() : attrs.value;
    return true;
  },
});
/** mathjs, if learner code (or a case's matrix) loaded it: never loaded here, it takes ~0.6 s. */
let mathjsLoaded: () => any = () => undefined;

/** Packages learner cells may import, besides the course helper (./course): what the course uses. */
const LEARNER_PACKAGES = new Set(["mathjs", "random-js", "d3-contour", "csv-parse/sync", "pngjs", "vega", "vega-lite"]);

function makeRequire(root: string, side: Map<string, string>) {
  const base = Module.createRequire(root + "/src.js");
  const cache = new Map<string, any>();
  const noop = () => undefined;
  const tslabStub = { display: new Proxy({}, { get: () => noop }), newDisplay: () => new Proxy({}, { get: () => noop }) };
  function loadSide(file: string): any {
    if (cache.has(file)) return cache.get(file);
    const mod: any = { exports: {} };
    cache.set(file, mod.exports);
    const dir = file.slice(0, file.lastIndexOf("/"));
    const req = (id: string) => requireFrom(dir, id);
    vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${side.get(file)}\n})`)(mod.exports, req, mod, file, dir);
    let result = mod.exports;
    if (file === `${root}/course/ndarray.js`) trustNDArray(result.NDArray);
    // The notebook helper: keep its maths, silence its checks, plots, progress displays and demonstration cells while grading.
    if (file === `${root}/course.js`) {
      const quiet = Object.fromEntries(Object.keys(result).filter((k) => /^plot/.test(k)).map((k) => [k, async () => undefined]));
      const silentProgress = () => ({ step: () => undefined, done: () => undefined });
      result = { ...result, ...quiet, checker: () => () => true, demo: async () => undefined, progress: silentProgress };
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
  /**
   * The course modules the grader trusts, loaded (and frozen) before any learner code: its NDArray and
   * matmul, and its call path (invoke.js, values.js), which the grader's calls go through.
   */
  const preload = () => {
    for (const f of ["ndarray", "matmul", "values", "invoke"].map((m) => `${root}/course/${m}.js`)) if (side.has(f)) loadSide(f);
    const invoke = cache.get(`${root}/course/invoke.js`);
    if (!invoke) throw new Error("the course helper's invoke.js is missing from the compiled side files");
    course = { invokePart: invoke.invokePart, NotDefined: invoke.NotDefined };
    for (const m of ["values", "invoke"]) freeze(cache.get(`${root}/course/${m}.js`));
    const mathjsPath = base.resolve("mathjs");
    mathjsLoaded = () => base.cache[mathjsPath]?.exports;
  };
  return { learnerRequire, preload };
}

/** The course's BLAS addon, loaded before any learner code; afterwards no addon can be loaded. */
let addon: { path: string; exports: unknown } | undefined;
function loadAddonThenLock(file: string | undefined) {
  if (file) {
    try { addon = { path: file, exports: freeze(nodeRequire(file)) }; } catch { addon = undefined; }
  }
  // NOTE: Node's permission model checks no file permission in dlopen, so with --allow-addons any
  // .node file on disk could be loaded: after ours, loading is switched off for good.
  const refuse = () => { throw new Error("loading native addons is not allowed while grading"); };
  defineProperty(process, "dlopen", { value: refuse, writable: false, configurable: false });
}

/**
 * What learner code must not reach, taken away before it runs (the OS sandbox is the real wall
 * where it exists — see docs/security.md; this makes the errors clear and covers systems without it).
 */
function lockDown(): void {
  const refuse = (what: string) => () => { throw new Error(`${what} is not available while grading`); };
  for (const g of ["require", "module", "exports", "__filename", "__dirname"]) delete (globalThis as any)[g];
  for (const g of ["fetch", "WebSocket", "EventSource"]) if (g in globalThis) defineProperty(globalThis, g, { value: refuse(g), writable: false, configurable: false });
  const own = process.pid, kill = process.kill.bind(process);
  const lock = (name: string, value: unknown) => defineProperty(process, name, { value, writable: false, configurable: false });
  lock("getBuiltinModule", refuse("process.getBuiltinModule"));
  lock("kill", (pid: number, signal?: string | number) => (pid === own ? kill(pid, signal) : refuse("signalling another process")()));
  lock("_kill", refuse("process._kill"));
  // No way to a file descriptor: stdio streams (whose `fd` can be repointed at the grader's pipe),
  // the handle lists (which hold the pipe's socket), and exit stays exit.
  const sink = freeze({ write: () => true, end: () => undefined, on: () => sink, once: () => sink, isTTY: false, columns: 80, fd: -1 });
  for (const s of ["stdout", "stderr", "stdin"]) defineProperty(process, s, { get: () => sink, configurable: false });
  lock("openStdin", refuse("process.openStdin"));
  lock("_getActiveHandles", refuse("process._getActiveHandles"));
  lock("_getActiveRequests", refuse("process._getActiveRequests"));
  lock("reallyExit", reallyExit);
  const quiet = freeze(create(null, Object.fromEntries(Object.keys(console).map((k) => [k, { value: () => undefined, enumerable: true }]))));
  defineProperty(globalThis, "console", { value: quiet, writable: false, configurable: false });
}

async function load(msg: Extract<ToChild, { type: "load" }>) {
  let run: { learnerRequire: (id: string) => any };
  try {
    loadAddonThenLock(msg.addon);
    lockDown();
    const r = makeRequire(msg.root, new Map(msg.side.map((s) => [s.path, s.data])));
    r.preload();
    run = r;
  } catch (e) {
    return send({ type: "startFailed", message: describeError(e).message });
  }
  const errors: { cell: number; message: string }[] = [];
  for (const c of msg.cells as ChildCell[]) {
    send({ type: "cell", cell: c.cell });
    try {
      const wrapped = `(${c.topLevelAwait ? "async " : ""}function (exports, require) { ${c.js}\n})`;
      await vm.runInThisContext(wrapped, { filename: `cell ${c.cell}` })(cellExports, run.learnerRequire);
    } catch (e) {
      const d = describeError(e);
      errors.push({ cell: c.cell, message: d.message ? `${d.name}: ${d.message}` : `threw ${d.name}` });
    }
  }
  send({ type: "loaded", errors });
}

/** A property's own value, if it is a data property (never a getter: it could run forever). */
function dataField(o: object | null, k: string): unknown {
  for (let p = o; p; p = getPrototypeOf(p)) {
    if (isProxy(p)) return undefined;
    const d = getOwnPropertyDescriptor(p, k);
    if (d) return "value" in d ? d.value : undefined;
  }
  return undefined;
}

/**
 * What a learner's code threw: a standard error's name ("Error" for subclasses, whose names the
 * learner chooses) and its message, read from data properties only and cut to 300 characters.
 */
function describeError(e: unknown): Thrown {
  if (typeof e !== "object" || e === null || isProxy(e)) {
    const t = e === null ? "null" : isProxy(e) ? "Proxy" : typeof e;
    return { name: `${/^[aeiou]/.test(t) ? "an" : "a"} ${t}`, message: "" };
  }
  let name = "not an Error";
  for (let p = getPrototypeOf(e); p; p = getPrototypeOf(p)) {
    const std = ERRORS.find((x) => x.proto === p);
    if (std) { name = std.proto === getPrototypeOf(e) ? std.name : "Error"; break; }
  }
  const message = dataField(e, "message"), code = dataField(e, "code");
  const text = typeof message === "string" ? message : "(no message)";
  return { name, message: `${typeof code === "string" && /^[A-Z_]{3,40}$/.test(code) ? `[${code}] ` : ""}${text}`.slice(0, MAX_MESSAGE) };
}

/** The NDArray class and its `data` getter as the course defines them, frozen before learner code can patch them. */
let trusted: { proto: object; data: () => unknown } | undefined;
function trustNDArray(cls: any) {
  const data = getOwnPropertyDescriptor(cls.prototype, "data")?.get;
  if (!data) return;
  // NOTE: the getter reads private fields (a lazy product's producer is course code), but it looks up
  // the class's statics and the operands' `data`: freezing both keeps learner code out of it.
  freeze(cls.prototype);
  freeze(cls);
  trusted = { proto: cls.prototype, data };
}

/** The course's call path (notebooks/course/invoke.ts), captured at preload: the notebook's `check` calls parts the same way. */
let course: { invokePart: (defs: object, part: { name: string; method?: { stateFields: string[] } }, args: unknown[]) => unknown; NotDefined: new (...a: any[]) => { kind: string; what: string; found: string } } | undefined;

/** Why a learner value is refused; `detail` is learner-controlled text (shown for public cases only). */
class Refused extends Error {
  constructor(readonly reason: WrongTypeReason, message: string, readonly detail?: string) { super(message); }
}
const refuse = (reason: WrongTypeReason, message: string, detail?: string): never => { throw new Refused(reason, message, detail); };

const MAX_VALUES = 2_000_000;
let budget = 0; // numbers left for the value being converted (MAX_VALUES each)

/** An NDArray as nested rows, read through the course's own getter; anything that only looks like one is refused. */
function ndRows(v: object): number[][] {
  const rows = dataField(v, "rows"), cols = dataField(v, "cols");
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || (rows as number) < 0 || (cols as number) < 0) return refuse("broken-ndarray", "an NDArray with a broken shape");
  const [r, c] = [rows as number, cols as number];
  let data: unknown;
  try { data = trusted!.data.call(v); } catch { return refuse("broken-ndarray", "an NDArray whose values cannot be read (not made by the course's functions?)"); }
  if (!isFloat64Array(data) || getPrototypeOf(data) !== TYPED_PROTOS[0] || (data as Float64Array).length !== r * c) return refuse("broken-ndarray", "an NDArray whose values do not match its shape");
  if ((budget -= r * c) < 0) return refuse("too-many-numbers", `more than ${MAX_VALUES} numbers`);
  const d = data as Float64Array, out = new ArrayCtor<number[]>(r);
  for (let i = 0; i < r; i++) {
    const row = (out[i] = new ArrayCtor<number>(c));
    for (let j = 0; j < c; j++) row[j] = d[i * c + j];
  }
  return out;
}

/** Learner values become plain numbers, arrays and records, or a reason why they cannot. Never calls learner code (no getters, no valueOf). */
function toPlain(v: unknown, depth = 0): unknown {
  if (depth === 0) budget = MAX_VALUES;
  if (--budget < 0) return refuse("too-many-numbers", `more than ${MAX_VALUES} numbers`);
  if (typeof v === "number") return v;
  if (depth > 8) return refuse("too-deep", "values nested more than 8 deep");
  if (typeof v !== "object" || v === null) return refuse("not-a-number", `a ${v === null ? "null" : typeof v}`);
  if (isProxy(v)) return refuse("proxy", "a Proxy");
  if (isPromise(v)) return refuse("promise", "a Promise — the function should not be async");
  const proto = getPrototypeOf(v);
  const mathjs = mathjsLoaded();
  if (mathjs && proto === mathjs.DenseMatrix.prototype) return toPlain(mathjs.DenseMatrix.prototype.toArray.call(v), depth);
  if (isFloat64Array(v) || isFloat32Array(v)) {
    if (!TYPED_PROTOS.includes(proto)) return refuse("typed-array-subclass", "a typed-array subclass");
    if ((budget -= v.length) < 0) return refuse("too-many-numbers", `more than ${MAX_VALUES} numbers`);
    const out = new ArrayCtor<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  }
  if (trusted && proto === trusted.proto) return ndRows(v);
  if (!isArray(v)) return record(v, proto, depth);
  if (proto !== ARRAY_PROTO) return refuse("array-subclass", "an array subclass");
  const n = v.length;
  if (n > budget) return refuse("too-many-numbers", `more than ${MAX_VALUES} numbers`);
  const out = new ArrayCtor<unknown>(n);
  for (let i = 0; i < n; i++) {
    const d = getOwnPropertyDescriptor(v, i);
    if (!d) return refuse("holes", "an array with holes");
    if (!("value" in d)) return refuse("getter", "an array with a getter");
    out[i] = toPlain(d.value, depth + 1);
  }
  return out;
}
/** The class's name, read through data properties only (a `static get name()` or a Proxy must not run). */
function className(proto: object): string {
  const ctor = dataField(proto, "constructor");
  const name = typeof ctor === "function" && !isProxy(ctor) ? getOwnPropertyDescriptor(ctor, "name")?.value : undefined;
  return typeof name === "string" && name ? name.slice(0, 60) : "a class";
}
/** A plain record ({ weights, losses }): own data properties only, each a plain value. */
function record(v: object, proto: object | null, depth: number): Record<string, unknown> {
  if (proto !== OBJECT_PROTO && proto !== null) return refuse("instance", "an instance of a class", className(proto));
  if (getOwnPropertySymbols(v).length) return refuse("symbol-keys", "an object with symbol keys");
  const out: Record<string, unknown> = create(null), descriptors = getOwnPropertyDescriptors(v);
  for (const k of objectKeys(descriptors)) {
    const d = descriptors[k];
    if (!("value" in d)) return refuse("getter", "an object with a getter", k.slice(0, 60));
    if (d.value === undefined) continue; // left out, as JSON does (`loss` when there are no labels)
    out[k] = toPlain(d.value, depth + 1);
  }
  return out;
}

/** What the function returned, as the grader receives it. */
function outcomeOf(value: unknown): Outcome {
  try {
    return { kind: "value", value: toPlain(value) };
  } catch (e) {
    if (e instanceof Refused) return { kind: "wrongType", reason: e.reason, message: `returned ${e.message}, expected numbers, arrays or records of them`, ...(e.detail ? { detail: e.detail } : {}) };
    return { kind: "wrongType", reason: "broken-ndarray", message: "returned a value whose parts cannot be read" };
  }
}

function call(msg: Extract<ToChild, { type: "call" }>) {
  const reply = (outcome: Outcome) => send({ type: "result", id: msg.id, outcome });
  const target = msg.target as CallTarget;
  if (target.kind === "answer") return reply(answerValue(exportsObj[msg.name]));
  let value: unknown;
  try {
    value = course!.invokePart(exportsObj, { name: msg.name, ...(target.kind === "method" ? { method: { stateFields: target.fields } } : {}) }, msg.args);
  } catch (e) {
    if (e instanceof course!.NotDefined) return reply({ kind: "missing", message: missingText(e) });
    return reply({ kind: "threw", error: describeError(e) });
  }
  reply(outcomeOf(value));
}

/** A name a part calls that is not there, in the words the grader shows (replies.ts checks them). */
function missingText(e: { kind: string; what: string; found: string }): string {
  if (e.kind === "class") return e.found === "undefined" ? `class \`${e.what}\` not found` : `\`${e.what}\` is a ${e.found}, not a class`;
  return e.found === "undefined" ? "not found" : `is a ${e.found}, not a function`;
}

/** An answer constant: a number, or a list of choice letters; null means not answered yet. */
function answerValue(v: unknown): Outcome {
  if (v === undefined) return { kind: "missing", message: "not found" };
  if (v === null) return { kind: "unanswered" };
  if (typeof v === "number") return { kind: "value", value: v };
  if (isArray(v) && !isProxy(v) && getPrototypeOf(v) === ARRAY_PROTO && v.length <= 26) {
    const letters: string[] = [];
    for (let i = 0; i < v.length; i++) {
      const d = getOwnPropertyDescriptor(v, i);
      if (!d || !("value" in d) || typeof d.value !== "string" || d.value.length > 8) return { kind: "wrongType", reason: "answer-form", message: "is not a list of letters" };
      letters.push(d.value);
    }
    return { kind: "value", value: letters };
  }
  return { kind: "wrongType", reason: "answer-form", message: `is ${isProxy(v) ? "a Proxy" : typeof v}, expected a number or a list of letters` };
}

function handle(msg: ToChild) {
  if (msg.type === "load") load(msg).catch((e) => send({ type: "startFailed", message: describeError(e).message }));
  else if (msg.type === "call") call(msg);
  else if (msg.type === "ping") send({ type: "pong", id: msg.id }); // the event loop still turns after the top-level code
}

// Requests arrive on fd 3 as frames (the grader is trusted: no defensive reading needed here).
let pending = bufferAlloc(0);
const input = new net.Socket({ fd: IN_FD, readable: true, writable: false });
input.on("data", (chunk: Buffer) => {
  pending = bufferConcat([pending, chunk]);
  while (pending.length >= 4 && pending.length >= 4 + readU32(pending, 0)) {
    const length = readU32(pending, 0);
    const msg = deserialize(subarray(pending, 4, 4 + length)) as ToChild;
    pending = subarray(pending, 4 + length);
    handle(msg);
  }
});
// The grader is gone: so is this process (whatever learner code did to process.exit).
input.on("end", () => reallyExit(0));
input.on("error", () => reallyExit(0));
// A learner's stray async error (a timer that throws, a rejected promise nobody awaits) must not
// end the process for every later call.
process.on("uncaughtException", () => undefined);
process.on("unhandledRejection", () => undefined);
send({ type: "ready" });

// The kernel's converter behind the conversions cache: what one kernel converted the next answers from
// disk without a compiler; the helper's compiled files reach tslab once; a changed folder, a cell
// importing another local file, or a module cell go to the compiler.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ConvertResult } from "tslab/dist/converter";
import { createCachedConverter } from "./cached-converter.js";
import { conversionTag, converterPaths, entryOf, HELPER_KEY, KIND, resultOf } from "./conversions.js";
import { createDiskCache, hashOf } from "./disk-cache.js";

let dir: string, root: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cached-converter-"));
  root = fs.mkdtempSync(path.join(os.tmpdir(), "cached-converter-cache-"));
  fs.writeFileSync(path.join(dir, "course.ts"), "export const version = 1;\n");
});
afterEach(() => {
  for (const d of [dir, root]) fs.rmSync(d, { recursive: true, force: true });
});

/** The tag: the helper's text stands for the folder (the real tag needs tslab resolvable from the folder). */
const tagOf = (d: string) => hashOf(fs.readFileSync(path.join(d, "course.ts"), "utf8"));

/** A stand-in for tslab's converter: emits the helper's file once per text, as tslab does, and counts its calls. */
function fakeCompiler() {
  const calls: string[] = [];
  let emitted: string | undefined;
  const converter = {
    convert(prevDecl: string, src: string): ConvertResult {
      calls.push(src);
      if (src.includes("oops")) return { diagnostics: [diag("Cannot find name 'oops'.")] };
      const helper = fs.readFileSync(path.join(dir, "course.ts"), "utf8");
      const imports = src.includes('"./course"') && helper !== emitted;
      if (imports) emitted = helper;
      return {
        diagnostics: [],
        output: `run(${JSON.stringify(src)});`,
        declOutput: `${prevDecl}declare const after_${calls.length}: number;\n`,
        hasToplevelAwait: src.includes("await"),
        lastExpressionVar: "tslab$last",
        sideOutputs: imports ? [{ path: path.join(dir, "course.js"), data: `// compiled ${helper}` }] : undefined,
      };
    },
    inspect: () => undefined,
    complete: () => ({ candidates: [] }),
    addModule: () => [],
    close: () => undefined,
  };
  return { calls, start: () => converter };
}

function diag(messageText: string, fileName?: string) {
  return {
    start: { offset: 10, line: 2, character: 4 },
    end: { offset: 14, line: 2, character: 8 },
    messageText,
    category: 1,
    code: 2304,
    fileName,
  };
}

const CELLS = ['import * as course from "./course";', "const x = 1 + 1;", "x * 2"];

/** Runs cells as tslab's executor does (each cell's declarations are the next one's prefix). */
function runAll(conv: ReturnType<typeof createCachedConverter>, cells = CELLS) {
  let prevDecl = "";
  return cells.map((src) => {
    const r = conv.convert(prevDecl, src);
    if (r.diagnostics.length === 0) prevDecl = r.declOutput ?? "";
    return r;
  });
}

test("a cell converted by one kernel is answered from the cache by the next, which starts no compiler: same output, declarations, last expression", () => {
  const first = fakeCompiler();
  const counts = { cached: 0, compiled: 0 };
  const before = runAll(createCachedConverter(first.start, { dir, root, tagOf, counts }));
  expect(counts).toEqual({ cached: 0, compiled: 3 });
  expect(first.calls[0]).toMatch(/void course/); // the helper, compiled first and kept

  let started = 0;
  const again = { cached: 0, compiled: 0 };
  const next = createCachedConverter(() => (started++, fakeCompiler().start()), { dir, root, tagOf, counts: again });
  const after = runAll(next);
  expect(started).toBe(0);
  expect(again).toEqual({ cached: 3, compiled: 0 });
  const shown = (r: ConvertResult) => [r.output, r.declOutput, r.lastExpressionVar, !!r.hasToplevelAwait];
  expect(after.map(shown)).toEqual(before.map(shown));
});

test("the helper's compiled file reaches tslab once per text: from the cache, and not again when the compiler emits the same", () => {
  runAll(createCachedConverter(fakeCompiler().start, { dir, root, tagOf }));
  const compiler = fakeCompiler();
  const conv = createCachedConverter(compiler.start, { dir, root, tagOf });
  const [first, second] = runAll(conv);
  expect(first.sideOutputs?.map((s) => s.path)).toEqual([path.join(dir, "course.js")]);
  expect(second.sideOutputs).toBeUndefined();
  // A cell converted nowhere before starts the compiler, which emits the helper again, with the same text.
  const fresh = conv.convert(second.declOutput ?? "", "const y = 3;");
  expect(compiler.calls.length).toBeGreaterThan(0);
  expect(fresh.sideOutputs).toBeUndefined();
});

test("the helper's compiled files are read from the cache once a tag, not again for each cell answered from it", () => {
  runAll(createCachedConverter(fakeCompiler().start, { dir, root, tagOf }));
  const counts = { cached: 0, compiled: 0 };
  const conv = createCachedConverter(fakeCompiler().start, { dir, root, tagOf, counts });
  const [first] = runAll(conv, CELLS.slice(0, 1));
  expect(first.sideOutputs?.map((s) => s.path)).toEqual([path.join(dir, "course.js")]);
  // Gone from disk after the first cell: the next cells are still answered, from the files read once.
  const entry = path.join(root, KIND, tagOf(dir), HELPER_KEY.slice(0, 2), HELPER_KEY);
  expect(fs.existsSync(entry)).toBe(true);
  fs.rmSync(entry);
  let prevDecl = first.declOutput ?? "";
  for (const src of CELLS.slice(1)) prevDecl = conv.convert(prevDecl, src).declOutput ?? "";
  expect(counts).toEqual({ cached: 3, compiled: 0 });
});

test("a changed helper is a new tag: the cells go to the compiler again, and its new file reaches tslab", () => {
  runAll(createCachedConverter(fakeCompiler().start, { dir, root, tagOf }));
  const compiler = fakeCompiler();
  const conv = createCachedConverter(compiler.start, { dir, root, tagOf });
  const [before] = runAll(conv);
  expect(compiler.calls).toEqual([]);
  fs.writeFileSync(path.join(dir, "course.ts"), "export const version = 2; // edited\n");
  const [after] = runAll(conv);
  expect(compiler.calls.length).toBe(4); // the helper, then the three cells
  expect(after.sideOutputs?.[0].data).toMatch(/version = 2/);
  expect(before.sideOutputs?.[0].data).toMatch(/version = 1/);
});

test("a cell importing another file of the folder, and every cell after a module cell, go to the compiler", () => {
  const cells = ['import { f } from "./mine";', 'const g = require("../elsewhere/x");'];
  runAll(createCachedConverter(fakeCompiler().start, { dir, root, tagOf }), cells);
  const counts = { cached: 0, compiled: 0 };
  const conv = createCachedConverter(fakeCompiler().start, { dir, root, tagOf, counts });
  runAll(conv, cells);
  expect(counts).toEqual({ cached: 0, compiled: 2 });

  runAll(createCachedConverter(fakeCompiler().start, { dir, root, tagOf }));
  const after = { cached: 0, compiled: 0 };
  const withModule = createCachedConverter(fakeCompiler().start, { dir, root, tagOf, counts: after });
  withModule.addModule("lib", "export const a = 1;", {});
  runAll(withModule);
  expect(after).toEqual({ cached: 0, compiled: 3 });
});

test("a type error kept in the cache prints as tslab prints it: the file, line, column and message", () => {
  const raw: ConvertResult = { diagnostics: [diag("Cannot find name 'oops'."), diag("bad helper", "course/a.ts")] };
  const back = resultOf(entryOf(raw));
  const printed = (r: ConvertResult) =>
    r.diagnostics.map((d) => `${d.fileName ?? ""} ${d.start.line + 1}:${d.start.character + 1} - ${d.messageText}`);
  expect(printed(back)).toEqual(printed(raw));
  expect(back.output).toBeUndefined();

  runAll(createCachedConverter(fakeCompiler().start, { dir, root, tagOf }), ["oops"]);
  const counts = { cached: 0, compiled: 0 };
  const [r] = runAll(createCachedConverter(fakeCompiler().start, { dir, root, tagOf, counts }), ["oops"]);
  expect(counts.cached).toBe(1);
  expect(r.diagnostics[0].messageText).toBe("Cannot find name 'oops'.");
});

test("an entry the grader wrote, with the names a cell declares, is not overwritten by the kernel", () => {
  const cache = createDiskCache(root, KIND, tagOf(dir));
  const key = hashOf("", CELLS[0]);
  const graders = JSON.stringify({
    ...entryOf({ diagnostics: [], output: "o", declOutput: "d" }),
    declares: ["course"],
  });
  cache.set(key, graders);
  // No helper files in the cache yet: the kernel cannot answer from it, and compiles.
  runAll(createCachedConverter(fakeCompiler().start, { dir, root, tagOf }));
  expect(cache.get(key)).toBe(graders);
  expect(JSON.parse(cache.get(HELPER_KEY)!)).toEqual([
    { path: "course.js", data: "// compiled export const version = 1;\n" },
  ]);
});

test("without a cache (COURSE_CACHE_DIR=off) every cell goes to the compiler and the helper's file still reaches tslab", () => {
  const counts = { cached: 0, compiled: 0 };
  const compiler = fakeCompiler();
  const [first] = runAll(createCachedConverter(compiler.start, { dir, root: undefined, tagOf, counts }));
  expect(counts).toEqual({ cached: 0, compiled: 3 });
  expect(compiler.calls).toEqual(CELLS); // no helper compiled for a cache
  expect(first.sideOutputs?.map((s) => s.path)).toEqual([path.join(dir, "course.js")]);
});

test("the tag changes with a file a cell can import, and not with a notebook or the saved token", () => {
  const paths = converterPaths(path.join(__dirname, ".."));
  const tag = conversionTag(dir, paths);
  expect(tag).toMatch(/^[0-9a-f]{32}$/);
  fs.writeFileSync(path.join(dir, "01.ipynb"), "{}");
  fs.writeFileSync(path.join(dir, ".submit-token.json"), "[]");
  expect(conversionTag(dir, paths)).toBe(tag);
  fs.writeFileSync(path.join(dir, "mine.ts"), "export const a = 1;\n");
  expect(conversionTag(dir, paths)).not.toBe(tag);
});

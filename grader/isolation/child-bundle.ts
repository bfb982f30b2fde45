// The learner process's program as one script for `node -e`: the modules in ./child/ (its entry
// point runner.ts), each transpiled to CommonJS and wrapped in a function, linked by a small require
// that knows only these files (anything else is Node's). Built once per version of its files and
// kept in the grader's cache (transpiling needs TypeScript, ~0.6 s to load).
import * as fs from "fs";
import * as path from "path";
import type * as TS from "typescript";
import { cachedBuild } from "../cache";

const ENTRY = "runner";

/** The files of the child: every .ts file in the folder but specs, keyed as the child's own imports name them. */
function childFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const f of fs.readdirSync(dir).sort())
    if (f.endsWith(".ts") && !f.endsWith(".spec.ts")) files.set(`./${f.slice(0, -3)}`, path.join(dir, f));
  return files;
}

/** The bundle of the files in `dir`, from the cache when those files and TypeScript's version are unchanged. */
export function childBundle(dir: string = path.join(__dirname, "child")): string {
  const files = [...childFiles(dir)].map(([key, file]) => ({ key, file, source: fs.readFileSync(file, "utf8") }));
  // This file's own text is an input: it writes the linker.
  return cachedBuild(
    "child-bundle",
    [
      fs.readFileSync(__filename, "utf8"),
      fs.readFileSync(require.resolve("typescript/package.json"), "utf8"),
      ...files.flatMap((f) => [f.key, f.source]),
    ],
    () => build(files),
  );
}

function build(files: { key: string; file: string; source: string }[]): string {
  const ts = require("typescript") as typeof TS;
  const modules = files.map(({ key, file, source }) => {
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    }).outputText;
    return `${JSON.stringify(key)}: function (exports, require, module) {\n${js}\n}`;
  });
  // NOTE: the linker runs before any learner code and is not reachable from it afterwards (it is
  // a closure of this script; the lockdown deletes the global require it falls back to).
  return `(() => {
const nodeRequire = require, files = {${modules.join(",\n")}}, cache = {};
function resolve(from, id) {
  if (!id.startsWith(".")) return undefined;
  const parts = from.split("/").slice(0, -1);
  for (const p of id.split("/")) if (p === "..") parts.pop(); else if (p !== ".") parts.push(p);
  return parts.join("/");
}
function load(key) {
  if (cache[key]) return cache[key].exports;
  const module = (cache[key] = { exports: {} });
  files[key](module.exports, (id) => { const k = resolve(key, id); return k && files[k] ? load(k) : nodeRequire(id); }, module);
  return module.exports;
}
load(${JSON.stringify(`./${ENTRY}`)});
})();`;
}

// The learner process's program as one script for `node -e`: the modules in ./child/ (its entry
// point runner.ts), each transpiled to CommonJS and wrapped in a function, linked by a small require
// that knows only these files (anything else is Node's). Built once per grader process.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ENTRY = "runner";

/** The files of the child: every .ts file in the folder but specs, keyed as the child's own imports name them. */
function childFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const f of fs.readdirSync(dir).sort())
    if (f.endsWith(".ts") && !f.endsWith(".spec.ts")) files.set(`./${f.slice(0, -3)}`, path.join(dir, f));
  return files;
}

export function childBundle(dir: string = path.join(__dirname, "child")): string {
  const modules = [...childFiles(dir)].map(([key, file]) => {
    const js = ts.transpileModule(fs.readFileSync(file, "utf8"), {
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

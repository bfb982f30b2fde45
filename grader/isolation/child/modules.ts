// The modules learner cells may load while grading: the course helper (compiled beside the cells
// and shipped as side files) and a few npm packages, nothing of Node's own. What the grader trusts
// of the helper, and what it silences, is the helper's own grading manifest (notebooks/course/shared/grading.ts).
import Module = require("module");
import * as vm from "vm";
import * as pathModule from "path";
import type { GradingManifest, Replacement } from "../../../notebooks/course/shared";
import type { Addon } from "./lockdown";
import { freeze, fromEntries, objectKeys } from "./intrinsics";

/** Packages learner cells may import, besides the course helper (./course): what the course uses. */
const LEARNER_PACKAGES = new Set(["mathjs", "random-js", "d3-contour", "csv-parse/sync", "pngjs", "vega", "vega-lite"]);

/** The course's call path (notebooks/course/shared/invoke.ts): the notebook's `check` calls parts the same way. */
export interface CallPath {
  invokePart: (defs: object, part: { name: string; method?: { stateFields: string[] } }, args: unknown[]) => unknown;
  NotDefined: new (
    kind: "function" | "class",
    what: string,
    found: string,
  ) => { kind: string; what: string; found: string };
}

type Exports = Record<string, unknown>;
const replacements: Record<Replacement, () => unknown> = {
  skip: () => async () => undefined,
  pass: () => () => () => true,
  quiet: () => () => ({ step: () => undefined, done: () => undefined }),
};

export interface LearnerModules {
  /** The require of learner cells. */
  learnerRequire: (id: string) => unknown;
  /** The trusted modules, loaded and frozen before any learner code; returns the call path. */
  preload: (hooks: { ndarray: (cls: { prototype: object }) => void }) => CallPath;
  /** mathjs's exports, if something loaded it. */
  mathjs: () => unknown;
}

export function createLearnerModules(
  root: string,
  side: Map<string, string>,
  addon: Addon | undefined,
): LearnerModules {
  const base = Module.createRequire(root + "/src.js");
  const cache = new Map<string, Exports>();
  const file = (id: string) => `${root}/${id}.js`;
  const noop = () => undefined;
  const tslabStub = {
    display: new Proxy({}, { get: () => noop }),
    newDisplay: () => new Proxy({}, { get: () => noop }),
  };
  let manifest: GradingManifest | undefined;

  function loadSide(path: string): Exports {
    const cached = cache.get(path);
    if (cached) return cached;
    const mod = { exports: {} as Exports };
    cache.set(path, mod.exports);
    const dir = path.slice(0, path.lastIndexOf("/"));
    const req = (id: string) => requireFrom(dir, id);
    vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${side.get(path)}\n})`)(
      mod.exports,
      req,
      mod,
      path,
      dir,
    );
    let result = mod.exports;
    // The helper: keep its maths, replace what has nothing to show while grading.
    if (manifest && path === file(manifest.helper)) {
      const m = manifest;
      const replaced = objectKeys(result).filter((k) => k in m.replaced);
      result = { ...result, ...fromEntries(replaced.map((k) => [k, replacements[m.replaced[k]]()])) };
    }
    cache.set(path, result);
    return result;
  }

  function requireFrom(dir: string, id: string): unknown {
    if (id === "tslab") return tslabStub;
    if (id.endsWith(".node")) {
      if (addon && pathModule.resolve(dir, id) === addon.path) return addon.exports;
      throw new Error(`cannot load the native addon "${id}" while grading`);
    }
    if (id.startsWith(".")) {
      const js = pathModule.resolve(dir, id).replace(/(\.js)?$/, ".js");
      const index = js.replace(/\.js$/, "/index.js");
      if (side.has(js)) return loadSide(js);
      if (side.has(index)) return loadSide(index);
      if (manifest?.emptyImports.some((m) => file(m) === js)) return async () => ({});
      throw new Error(`cannot import "${id}" while grading: only the course helper and npm packages are available`);
    }
    return base(id);
  }

  const learnerRequire = (id: string) => {
    if (id === "tslab" || id.startsWith(".") || LEARNER_PACKAGES.has(id)) return requireFrom(root, id);
    throw new Error(
      `cannot import "${id}" while grading: only the course helper (./course) and ${[...LEARNER_PACKAGES].join(", ")} are available`,
    );
  };

  const preload: LearnerModules["preload"] = (hooks) => {
    const manifestFile = file("course/shared/grading");
    if (!side.has(manifestFile))
      throw new Error("the course helper's grading manifest (course/shared/grading.js) is missing");
    const m = (manifest = loadSide(manifestFile).grading as GradingManifest);
    for (const part of [m, m.replaced, m.emptyImports, m.trusted, m.frozen, m.ndarray]) freeze(part);
    for (const id of m.trusted) {
      if (!side.has(file(id))) throw new Error(`the course helper's ${id}.js is missing from the compiled side files`);
      const exports = loadSide(file(id));
      if (id === m.ndarray.module) hooks.ndarray(exports[m.ndarray.name] as { prototype: object });
    }
    for (const id of m.frozen) freeze(cache.get(file(id)));
    const callPath = cache.get(file(m.callPath)) as unknown as CallPath | undefined;
    if (!callPath) throw new Error(`the course helper's ${m.callPath}.js is not among its trusted modules`);
    return { invokePart: callPath.invokePart, NotDefined: callPath.NotDefined };
  };

  const mathjsPath = base.resolve("mathjs");
  return { learnerRequire, preload, mathjs: () => base.cache[mathjsPath]?.exports };
}

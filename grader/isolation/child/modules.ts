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
  /** The mathjs namespaces something loaded (the course's lazy one, the package): their DenseMatrix tells a matrix. */
  mathjs: () => unknown[];
}

export function createLearnerModules(
  root: string,
  side: Map<string, string>,
  addon: Addon | undefined,
): LearnerModules {
  const m = new SideModules(root, side, addon);
  const mathjsPath = m.base.resolve("mathjs");
  const lazy = Symbol.for("course.mathjs.instance");
  return {
    learnerRequire: (id) => m.learnerRequire(id),
    preload: (hooks) => m.preload(hooks),
    mathjs: () => {
      const made = (m.base.cache[m.lazyMathjs ?? ""]?.exports as { [lazy]?: () => unknown } | undefined)?.[lazy]?.();
      return [made, m.base.cache[mathjsPath]?.exports].filter((x) => x !== undefined);
    },
  };
}

const noop = () => undefined;
const tslabStub = {
  display: new Proxy({}, { get: () => noop }),
  newDisplay: () => new Proxy({}, { get: () => noop }),
};

class SideModules {
  readonly base: NodeJS.Require;
  /** The course's mathjs (notebooks/kernel/mathjs.js: the package's names, made as used), as the kernel gives it; else the package. */
  readonly lazyMathjs: string | undefined;
  private readonly cache = new Map<string, Exports>();
  private manifest: GradingManifest | undefined;

  constructor(
    private readonly root: string,
    private readonly side: Map<string, string>,
    private readonly addon: Addon | undefined,
  ) {
    this.base = Module.createRequire(root + "/src.js");
    try {
      this.lazyMathjs = this.base.resolve(pathModule.join(root, "kernel", "mathjs.js"));
    } catch {
      this.lazyMathjs = undefined;
    }
  }

  learnerRequire(id: string): unknown {
    if (id === "tslab" || id.startsWith(".") || LEARNER_PACKAGES.has(id)) return this.requireFrom(this.root, id);
    throw new Error(
      `cannot import "${id}" while grading: only the course helper (./course) and ${[...LEARNER_PACKAGES].join(", ")} are available`,
    );
  }

  preload(hooks: { ndarray: (cls: { prototype: object }) => void }): CallPath {
    const manifestFile = this.file("course/shared/grading");
    if (!this.side.has(manifestFile))
      throw new Error("the course helper's grading manifest (course/shared/grading.js) is missing");
    const m = (this.manifest = this.loadSide(manifestFile).grading as GradingManifest);
    for (const part of [m, m.replaced, m.emptyImports, m.trusted, m.frozen, m.ndarray]) freeze(part);
    for (const id of m.trusted) {
      if (!this.side.has(this.file(id)))
        throw new Error(`the course helper's ${id}.js is missing from the compiled side files`);
      const exports = this.loadSide(this.file(id));
      if (id === m.ndarray.module) hooks.ndarray(exports[m.ndarray.name] as { prototype: object });
    }
    for (const id of m.frozen) freeze(this.cache.get(this.file(id)));
    const callPath = this.cache.get(this.file(m.callPath)) as unknown as CallPath | undefined;
    if (!callPath) throw new Error(`the course helper's ${m.callPath}.js is not among its trusted modules`);
    return { invokePart: callPath.invokePart, NotDefined: callPath.NotDefined };
  }

  private file(id: string): string {
    return `${this.root}/${id}.js`;
  }

  private loadSide(path: string): Exports {
    const cached = this.cache.get(path);
    if (cached) return cached;
    const mod = { exports: {} as Exports };
    this.cache.set(path, mod.exports);
    const dir = path.slice(0, path.lastIndexOf("/"));
    const req = (id: string) => this.requireFrom(dir, id);
    vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${this.side.get(path)}\n})`)(
      mod.exports,
      req,
      mod,
      path,
      dir,
    );
    let result = mod.exports;
    // The helper: keep its maths, replace what has nothing to show while grading.
    const m = this.manifest;
    if (m && path === this.file(m.helper)) {
      const replaced = objectKeys(result).filter((k) => k in m.replaced);
      result = { ...result, ...fromEntries(replaced.map((k) => [k, replacements[m.replaced[k]]()])) };
    }
    this.cache.set(path, result);
    return result;
  }

  private requireFrom(dir: string, id: string): unknown {
    if (id === "tslab") return tslabStub;
    if (id === "mathjs" && this.lazyMathjs) return this.base(this.lazyMathjs);
    if (id.endsWith(".node")) {
      if (this.addon && pathModule.resolve(dir, id) === this.addon.path) return this.addon.exports;
      throw new Error(`cannot load the native addon "${id}" while grading`);
    }
    if (id.startsWith(".")) {
      const js = pathModule.resolve(dir, id).replace(/(\.js)?$/, ".js");
      const index = js.replace(/\.js$/, "/index.js");
      if (this.side.has(js)) return this.loadSide(js);
      if (this.side.has(index)) return this.loadSide(index);
      if (this.manifest?.emptyImports.some((m) => this.file(m) === js)) return async () => ({});
      throw new Error(`cannot import "${id}" while grading: only the course helper and npm packages are available`);
    }
    return this.base(id);
  }
}

// `mathjs` as the notebooks get it — in the course's kernel (start.js) and in the grader's learner
// process (grader/isolation/child/modules.ts) alike: the package's namespace, name for name, whose
// functions are made when first used.
// NOTE: `require("mathjs")` builds all ~390 typed functions at import: 0.6–0.7 CPU-s (idle machine) that
// every section-01 grading and the notebook's first cell paid, for the handful of functions a
// notebook calls. mathjs's own `create(all)` makes each function on first use (0.2–0.3 s in all): the
// same factories, the same default configuration. Each name here is a getter, as in the package:
// - its functions, constants and classes come from one such instance (made on first use);
// - the factories (`createAdd`…) and dependency lists (`addDependencies`…) from the package's modules;
// - the rest (`create`, `config` — read-only, as the package's —, `all`, `docs`, `_Infinity`…) from the package.
// The names are the package's, kept in mathjs-names.json for its version; another version of mathjs
// gets the package itself. mathjs.spec.ts (beside this file) compares every name with the package's.
"use strict";
const path = require("path");

const root = path.dirname(require.resolve("mathjs/package.json"));
const { version, names } = require("./mathjs-names.json");

if (require("mathjs/package.json").version !== version) {
  module.exports = require("mathjs");
} else {
  const lib = (file) => require(path.join(root, "lib", "cjs", file));
  const FROM_PACKAGE = new Set(["create", "config", "factory", "all", "docs"]);
  let instance;
  const math = () => (instance ??= lib("core/create.js").create(lib("factoriesAny.js"), {}));
  const getter = (name) => {
    if (FROM_PACKAGE.has(name) || name.startsWith("_")) return () => require("mathjs")[name];
    if (name.endsWith("Dependencies")) return () => lib("entry/dependenciesAny.generated.js")[name];
    // A factory, but for `createUnit`: a function of the instance (its factory is `createCreateUnit`).
    if (/^create[A-Z]/.test(name))
      return () => (name in lib("factoriesAny.js") ? lib("factoriesAny.js") : math())[name];
    return () => math()[name];
  };
  Object.defineProperty(exports, "__esModule", { value: true });
  for (const name of names) Object.defineProperty(exports, name, { enumerable: true, get: getter(name) });
  // The instance, if made: the grader's learner process recognizes its matrices by their class.
  Object.defineProperty(exports, Symbol.for("course.mathjs.instance"), { value: () => instance });
}

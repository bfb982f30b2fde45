// The kernel's `mathjs`: a notebook's cells and the course helper get mathjs.js (the package's names,
// made as used), exactly as the grader's learner process gives them (grader/isolation/child/modules.ts),
// so that `check()` in the notebook and the grader see the same objects. Packages keep the package.
"use strict";
const path = require("path");

/** Routes `require("mathjs")` from files under `notebooksDir` (not its node_modules, not `shim` itself) to `shim`. */
function routeMathjs(Module, notebooksDir, shim) {
  const resolve = Module._resolveFilename;
  const inside = path.resolve(notebooksDir) + path.sep;
  const ours = (file) =>
    !!file && file.startsWith(inside) && file !== shim && !file.includes(`${path.sep}node_modules${path.sep}`);
  Module._resolveFilename = function (request, parent, ...rest) {
    if (request === "mathjs" && ours(parent && parent.filename)) return shim;
    return resolve.call(this, request, parent, ...rest);
  };
}

module.exports = { routeMathjs };

#!/usr/bin/env node
// The course's kernelspec: tslab through start.js (its compiler in a worker thread), with the V8 flags
// that measured fastest for the MNIST training (docs/design.md). `node notebooks/kernel/install.js`
// registers it with Jupyter as "nn-typescript" ("Neural networks (TypeScript)"), the kernel the
// notebooks' metadata names. Used by `npm run setup`, `course kernel install` and the learner release.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const KERNEL_NAME = "nn-typescript";
const DISPLAY_NAME = "Neural networks (TypeScript)";
// NOTE: measured in the real kernel (npm run bench): V8's concurrent GC threads compete with BLAS's two
// threads for the two cores, and a 32 MB young generation lets a training loop's temporaries die young.
const V8_FLAGS = ["--single-threaded-gc", "--max-semi-space-size=32"];

/** kernel.json for this checkout: the node running now, start.js beside this file. */
function kernelSpec() {
  return {
    argv: [process.execPath, ...V8_FLAGS, path.join(__dirname, "start.js"), "{connection_file}"],
    display_name: DISPLAY_NAME,
    language: "typescript",
    interrupt_mode: "signal",
  };
}

/** Writes <dir>/kernels/nn-typescript/kernel.json (a folder for JUPYTER_PATH) and returns the kernel's folder. */
function writeKernelSpec(dir) {
  const kernelDir = path.join(dir, "kernels", KERNEL_NAME);
  fs.mkdirSync(kernelDir, { recursive: true });
  fs.writeFileSync(path.join(kernelDir, "kernel.json"), JSON.stringify(kernelSpec(), null, 1) + "\n");
  return kernelDir;
}

/**
 * The course folder whose kernel a registered kernelspec runs, when it is another copy's than this
 * one and that copy still exists (its start.js is there); undefined when taking it over loses nothing.
 */
function otherCopy(argv, exists = fs.existsSync) {
  const start = (argv || []).find((a) => typeof a === "string" && a.endsWith(path.join("kernel", "start.js")));
  if (!start || start === path.join(__dirname, "start.js") || !exists(start)) return undefined;
  return path.dirname(path.dirname(path.dirname(start)));
}

/** The argv of the kernelspec Jupyter has under KERNEL_NAME, if any. */
function registeredArgv(jupyter) {
  const r = spawnSync(jupyter, ["kernelspec", "list", "--json"], { encoding: "utf8" });
  if (r.error || r.status !== 0) return undefined;
  try {
    return JSON.parse(r.stdout).kernelspecs[KERNEL_NAME]?.spec?.argv;
  } catch {
    return undefined;
  }
}

/**
 * Registers the kernel with this machine's Jupyter (system-wide as root, else for this user). It
 * refuses to take the name over from another copy of the course that still exists (its notebooks
 * would silently run this copy's code) unless `replace` is set.
 */
function install(jupyter = "jupyter", { replace = false } = {}) {
  const other = replace ? undefined : otherCopy(registeredArgv(jupyter));
  if (other)
    throw new Error(
      `${KERNEL_NAME} is the kernel of another copy of the course (${other}); its notebooks would run this copy's code: \`course kernel install --replace\` makes it this copy's`,
    );
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nn-kernel-"));
  const kernelDir = writeKernelSpec(tmp);
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const r = spawnSync(
    jupyter,
    ["kernelspec", "install", "--replace", "--name", KERNEL_NAME, ...(asRoot ? [] : ["--user"]), kernelDir],
    { encoding: "utf8" },
  );
  fs.rmSync(tmp, { recursive: true, force: true });
  if (r.error || r.status !== 0)
    throw new Error(
      `jupyter kernelspec install failed: ${r.error ? r.error.message : r.stderr.trim().split("\n").pop()}`,
    );
  return `${DISPLAY_NAME} (${KERNEL_NAME}) registered with Jupyter`;
}

module.exports = { KERNEL_NAME, DISPLAY_NAME, V8_FLAGS, kernelSpec, writeKernelSpec, install, otherCopy };

if (require.main === module) {
  try {
    const jupyter = process.argv[2] || (fs.existsSync("/usr/bin/jupyter") ? "/usr/bin/jupyter" : "jupyter");
    console.log(install(jupyter, { replace: process.argv.includes("--replace") }));
  } catch (e) {
    console.error(`kernel install: ${e.message} (is Jupyter installed? npm run setup installs Debian's)`);
    process.exit(1);
  }
}

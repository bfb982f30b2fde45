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

/** Registers the kernel with this machine's Jupyter (system-wide as root, else for this user). */
function install(jupyter = "jupyter") {
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

module.exports = { KERNEL_NAME, DISPLAY_NAME, V8_FLAGS, kernelSpec, writeKernelSpec, install };

if (require.main === module) {
  try {
    console.log(install(process.argv[2] || (fs.existsSync("/usr/bin/jupyter") ? "/usr/bin/jupyter" : "jupyter")));
  } catch (e) {
    console.error(`kernel install: ${e.message} (is Jupyter installed? npm run setup installs Debian's)`);
    process.exit(1);
  }
}

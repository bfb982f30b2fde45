#!/usr/bin/env node
// Builds course_blas.node (see blas.c) with the system C compiler and Node's own headers: no
// node-gyp, no download. Run by `npm install` (postinstall). Never fails the install: without a
// compiler or headers the course uses its portable fallback and `npm run bench` says which ran.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const here = __dirname;
const out = path.join(here, "build", "course_blas.node");

function nodeIncludeDir() {
  const candidates = [
    process.env.npm_config_nodedir && path.join(process.env.npm_config_nodedir, "include", "node"),
    path.resolve(path.dirname(process.execPath), "..", "include", "node"),
    "/usr/include/node",
    "/usr/local/include/node",
  ].filter(Boolean);
  return candidates.find((d) => fs.existsSync(path.join(d, "node_api.h")));
}

function build() {
  if (process.platform === "win32") return "skipped on Windows (the portable fallback is used)";
  const include = nodeIncludeDir();
  if (!include) return "skipped: Node's headers (node_api.h) were not found";
  const cc = process.env.CC || "cc";
  const link = process.platform === "darwin" ? ["-bundle", "-undefined", "dynamic_lookup"] : ["-shared", "-ldl"];
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // -O3 -fno-trapping-math: the element-wise loops are vectorized (their comparisons may not trap).
  const args = [
    "-O3",
    "-fno-trapping-math",
    "-fPIC",
    "-Wall",
    `-I${include}`,
    path.join(here, "blas.c"),
    "-o",
    out,
    ...link,
  ];
  const r = spawnSync(cc, args, { encoding: "utf8" });
  if (r.error) return `skipped: no C compiler (${cc}: ${r.error.message})`;
  if (r.status !== 0) return `failed: ${cc} ${args.join(" ")}\n${r.stderr}`;
  const blas = require(out);
  return blas.available
    ? `built ${path.relative(process.cwd(), out)}; matrix products use ${blas.library}`
    : `built ${path.relative(process.cwd(), out)}, but no optimised BLAS is installed (Debian: apt-get install libopenblas0-pthread); the portable fallback is used`;
}

let message;
try {
  message = build();
} catch (e) {
  message = `failed: ${e.message}`;
}
console.log(`course native BLAS: ${message}`);

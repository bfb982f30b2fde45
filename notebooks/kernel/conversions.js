// tslab's conversion of a cell depends only on the declarations before it and the cell's text, once
// the converter, its TypeScript, Node's declarations and the notebooks' folder are fixed: the tag.
// The grader (grader/pipeline/typecheck.ts) and the course's kernel (start.js) keep conversions in
// one disk cache under that tag, so a cell converted once — by setup, a grading, or the kernel before
// a restart — costs either of them a file read: Restart & Run All starts no compiler.
"use strict";
const fs = require("fs");
const path = require("path");
const { hashOf, treeFiles, treeHash } = require("./disk-cache");

const KIND = "typecheck";
/** The entries' shape: a new version makes a new tag (older entries lack `lastExpressionVar` and `file`). */
const ENTRY_VERSION = "entry 2";
/** The course helper's compiled files are kept under this key, converted by this cell. */
const HELPER_KEY = hashOf("the course helper");
const HELPER_CELL = `import * as course from "./course";\nvoid course;`;
/** The files of the notebooks' folder a cell can import, or that the converter reads. */
const TREE = { exts: [".ts", ".js", ".json", ".mjs", ".cjs"], skip: ["node_modules", "build"] };
/** tslab's converter and its TypeScript, resolved from `from` (the notebooks' folder, or the grader). */
function converterPaths(from) {
  const converterPath = require.resolve("tslab/dist/converter", { paths: [from] });
  const typescriptPath = require.resolve("@tslab/typescript-for-tslab", {
    paths: [path.dirname(require.resolve("tslab/package.json", { paths: [from] }))],
  });
  return { converterPath, typescriptPath };
}

/**
 * Everything a conversion depends on besides the cell itself: the converter (with our patch), its
 * TypeScript, the type declarations of Node, Node's version (tslab picks its target by it), every file
 * of the notebooks' folder a cell can import (the course helper), the folder's path (messages name it)
 * and the entries' shape.
 */
function conversionTag(dir, { converterPath, typescriptPath } = converterPaths(dir)) {
  const read = (f) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "");
  let nodeTypes = "";
  try {
    nodeTypes = read(require.resolve("@types/node/package.json", { paths: [dir] }));
  } catch {
    // tslab falls back to its own @types/node: its converter's hash covers that
  }
  return hashOf(
    read(converterPath),
    read(path.join(path.dirname(typescriptPath), "..", "package.json")),
    nodeTypes,
    process.versions.node.split(".")[0],
    treeHash(dir, TREE.exts, TREE.skip),
    dir,
    ENTRY_VERSION,
  ).slice(0, 32);
}

/** The folder's files by name, size and time: when it is unchanged, so is the tag (a cheap test before each cell). */
const treeStamp = (dir) =>
  treeFiles(dir, TREE.exts, TREE.skip)
    .map((f) => {
      const s = fs.statSync(f);
      return `${f} ${s.size} ${s.mtimeMs}`;
    })
    .join("\n");

/**
 * What the cache keeps of tslab's ConvertResult: its diagnostics as the grader reports them (1-based
 * line and column; `file` relative to the folder when the error is in an imported file, not the cell).
 */
function entryOf(r) {
  return {
    diagnostics: r.diagnostics.map((d) => ({
      line: d.start.line + 1,
      col: d.start.character + 1,
      message: d.messageText,
      ...(d.fileName ? { file: d.fileName } : {}),
    })),
    declOutput: r.declOutput ?? "",
    output: r.output ?? "",
    hasToplevelAwait: !!r.hasToplevelAwait,
    ...(r.lastExpressionVar ? { lastExpressionVar: r.lastExpressionVar } : {}),
  };
}

/** tslab's ConvertResult from an entry: what its executor reads (it prints a diagnostic's file, line, column, text). */
function resultOf(e) {
  const diagnostics = e.diagnostics.map((d) => ({
    start: { offset: 0, line: d.line - 1, character: d.col - 1 },
    end: { offset: 0, line: d.line - 1, character: d.col - 1 },
    messageText: d.message,
    category: 1,
    code: 0,
    fileName: d.file,
  }));
  if (diagnostics.length > 0) return { diagnostics };
  return {
    diagnostics,
    output: e.output,
    declOutput: e.declOutput,
    hasToplevelAwait: e.hasToplevelAwait,
    lastExpressionVar: e.lastExpressionVar,
  };
}

const isEntry = (e) =>
  !!e && Array.isArray(e.diagnostics) && typeof e.output === "string" && typeof e.declOutput === "string";

function parse(text) {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Whether a cell names a module of the folder besides the course helper (its compiled files are not kept). */
const importsOtherLocal = (src) =>
  [...src.matchAll(/["'`](\.\.?\/[^"'`]*)["'`]/g)].some(([, spec]) => !/^\.\/course(\.ts)?(\/|$)/.test(spec));

module.exports = {
  KIND,
  HELPER_KEY,
  HELPER_CELL,
  converterPaths,
  conversionTag,
  treeStamp,
  entryOf,
  resultOf,
  isEntry,
  parse,
  importsOtherLocal,
};

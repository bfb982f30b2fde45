// The kernel's converter behind the conversions cache (conversions.js): a cell converted before under
// the same tag — by setup, a grading, or this kernel before a restart — is answered from disk, and the
// compiler thread starts on the first cell that is not (or the first completion, inspection, module).
// NOTE: tslab instantiates a compiled helper file once and again only when its text changes
// (executor.js, updateSideOutputs): the helper's files are handed over once, from the cache or from
// the compiler, and a file the compiler emits again with the same text is not handed over again —
// else `./course` would be loaded twice and a check registered by the first copy lost.
"use strict";
const path = require("path");
const conversions = require("./conversions");
const { createDiskCache, hashOf } = require("./disk-cache");

const NO_CACHE = { get: () => undefined, set: () => undefined };

/**
 * `start()` makes tslab's converter (the thread of start.js); `dir` is the kernel's folder and the
 * converter's; `root` is the cache's folder (disk-cache.js's cacheRoot(); undefined: no cache). Once a cell
 * defines a module (tslab's `//%module`), later conversions depend on more than a cell's key holds:
 * the cache is left for the kernel's life. `counts` counts the cells answered from the cache and those
 * the compiler converted.
 */
function createCachedConverter(
  start,
  { dir, root, tagOf = conversions.conversionTag, counts = { cached: 0, compiled: 0 } },
) {
  let real;
  let off = !root;
  const handed = new Map(); // path → text of each compiled helper file tslab holds
  let pending = []; // to hand over with the next result
  // The current tag's cache, and its helper files once read (undefined: not read yet; null: none).
  let memo = { stamp: undefined, cache: NO_CACHE, helper: undefined };

  /** The current tag's memo (made again when a file of the folder changed: size or time). */
  function current() {
    try {
      const stamp = conversions.treeStamp(dir);
      if (stamp !== memo.stamp)
        memo = { stamp, cache: createDiskCache(root, conversions.KIND, tagOf(dir)), helper: undefined };
    } catch {
      // a file removed while the folder was read: no cache for this cell
      memo = { stamp: undefined, cache: NO_CACHE, helper: undefined };
    }
    return memo;
  }
  function give(outs) {
    for (const s of outs || [])
      if (handed.get(s.path) !== s.data) {
        handed.set(s.path, s.data);
        pending.push(s);
      }
  }
  function handOver(result) {
    const out = { ...result, sideOutputs: pending.length ? pending : undefined };
    pending = [];
    return out;
  }
  /**
   * The course helper's compiled files under the current tag, with their paths in this folder: read
   * and parsed once a tag (~130 KB), not for every cell answered from the cache.
   */
  function helperOf(m) {
    if (m.helper === undefined) {
      const kept = conversions.parse(m.cache.get(conversions.HELPER_KEY));
      m.helper =
        Array.isArray(kept) && kept.some((s) => s.path === "course.js")
          ? kept.map((s) => ({ path: path.join(dir, s.path), data: s.data }))
          : null;
    }
    return m.helper;
  }
  /** The compiler; when started for the cache, it compiles the helper first and keeps its files, as the grader does. */
  function converter() {
    if (real) return real;
    real = start();
    if (off) return real;
    let outs = [];
    try {
      const h = real.convert("", conversions.HELPER_CELL);
      if (h.diagnostics.length === 0) outs = h.sideOutputs || [];
    } catch {
      // the cell that asked is converted next and reports what is wrong
    }
    if (outs.some((s) => s.path === path.join(dir, "course.js"))) {
      const kept = outs.map((s) => ({ path: path.relative(dir, s.path), data: s.data }));
      const m = current();
      m.cache.set(conversions.HELPER_KEY, JSON.stringify(kept));
      m.helper = outs.map((s) => ({ path: s.path, data: s.data }));
      give(outs);
    }
    return real;
  }

  /** A cell through the compiler, its result kept by `keep`. */
  function compiled(prevDecl, src, keep) {
    const r = converter().convert(prevDecl, src);
    counts.compiled++;
    keep?.(r);
    give(r.sideOutputs);
    return handOver(r);
  }

  return {
    convert(prevDecl, src) {
      if (off) return compiled(prevDecl, src);
      const m = current();
      const key = hashOf(prevDecl, src);
      const known = conversions.parse(m.cache.get(key));
      const helper = conversions.isEntry(known) && !conversions.importsOtherLocal(src) && helperOf(m);
      if (helper) {
        counts.cached++;
        give(helper);
        return handOver(conversions.resultOf(known));
      }
      // An entry already there was written by the grader, with the names it adds: kept.
      return compiled(
        prevDecl,
        src,
        conversions.isEntry(known) ? undefined : (r) => m.cache.set(key, JSON.stringify(conversions.entryOf(r))),
      );
    },
    inspect: (prevDecl, src, position) => converter().inspect(prevDecl, src, position),
    complete: (prevDecl, src, position) => converter().complete(prevDecl, src, position),
    addModule(name, src, meta) {
      off = true;
      return converter().addModule(name, src, meta);
    },
    close: () => real?.close(),
  };
}

module.exports = { createCachedConverter };

// The course's cache on disk, shared by the grader (grader/cache re-exports it) and the course's kernel
// (conversions.js): plain JavaScript, because the kernel runs before anything is compiled and a
// learner's release holds notebooks/ without the grader.
// One cache folder per kind of result and per version of its inputs ("tag"): <root>/<kind>/<tag>/<ab>/<key>.
// A changed input (the compiler, the course helper, the folder) makes a new tag; the old tags' folders
// are removed once they have not been used for a day. Writes are atomic (a temporary file renamed), so
// processes sharing the folder (a batch's pool, the service's workers, kernels) never read half an
// entry; an entry that cannot be read is a miss. The folder holds at most `maxEntries` entries per tag
// (the oldest go first, checked at most once a day). COURSE_CACHE_DIR moves it; COURSE_CACHE_DIR=off turns it off.
"use strict";
const { createHash } = require("crypto");
const nodeFs = require("fs");
const os = require("os");
const path = require("path");

const DAY_MS = 24 * 3600 * 1000;
const STAMP = ".pruned";

/** A SHA-256 hex digest of the parts, each length-prefixed so that ("ab", "c") and ("a", "bc") differ. */
function hashOf(...parts) {
  const h = createHash("sha256");
  for (const p of parts) h.update(`${Buffer.byteLength(p)}:`).update(p);
  return h.digest("hex");
}

/**
 * Every file under `dir` whose name ends with one of `exts`, skipping `skip` folders and hidden files
 * and folders (.ipynb_checkpoints, the token submit() saves), in a fixed order.
 */
function treeFiles(dir, exts, skip = ["node_modules"], fs = nodeFs) {
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.name.startsWith(".")) continue;
      if (e.isDirectory()) {
        if (!skip.includes(e.name)) walk(p);
      } else if (exts.some((x) => e.name.endsWith(x))) files.push(p);
    }
  };
  walk(dir);
  return files;
}

/** A hash of those files (paths and contents). */
function treeHash(dir, exts, skip = ["node_modules"], fs = nodeFs) {
  return hashOf(...treeFiles(dir, exts, skip, fs).flatMap((p) => [path.relative(dir, p), fs.readFileSync(p, "utf8")]));
}

/**
 * Where the caches live: COURSE_CACHE_DIR, else the user's cache folder ($XDG_CACHE_HOME or ~/.cache)
 * /course-grader; undefined when turned off.
 * NOTE: never under node_modules/ or data/: the learner's process may read those, and the cache holds
 * the solution notebooks' compiled cells (setup converts them) and other learners' code.
 */
function cacheRoot(env = process.env) {
  const given = env.COURSE_CACHE_DIR;
  if (given === "off") return undefined;
  if (given) return path.resolve(given);
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "course-grader");
}

/** The entries of `kind` and `tag` under `root` (nothing is kept when `root` is undefined). */
function createDiskCache(root, kind, tag, opts = {}) {
  if (!root) return { get: () => undefined, set: () => undefined };
  const fs = opts.fs ?? nodeFs,
    now = opts.now ?? Date.now,
    maxEntries = opts.maxEntries ?? 50_000;
  const kindDir = path.join(root, kind),
    tagDir = path.join(kindDir, tag);
  const file = (key) => path.join(tagDir, key.slice(0, 2), key);
  let used = false;

  /** Once a day: other tags unused for a day go, and this tag keeps its newest `maxEntries` entries. */
  function prune() {
    try {
      const stamp = path.join(tagDir, STAMP);
      if (fs.existsSync(stamp) && now() - fs.statSync(stamp).mtimeMs < DAY_MS) return;
      fs.writeFileSync(stamp, "");
      for (const other of fs.readdirSync(kindDir))
        if (other !== tag && now() - fs.statSync(path.join(kindDir, other)).mtimeMs > DAY_MS)
          fs.rmSync(path.join(kindDir, other), { recursive: true, force: true });
      const entries = [];
      for (const sub of fs.readdirSync(tagDir)) {
        if (sub === STAMP) continue;
        for (const k of fs.readdirSync(path.join(tagDir, sub))) {
          const p = path.join(tagDir, sub, k);
          entries.push({ p, t: fs.statSync(p).mtimeMs });
        }
      }
      if (entries.length > maxEntries)
        for (const e of entries.sort((a, b) => a.t - b.t).slice(0, entries.length - maxEntries))
          fs.rmSync(e.p, { force: true });
    } catch {
      // another process pruning at the same time, or a read-only folder: the cache stays usable
    }
  }

  /** A process's first use of the tag marks it used (its folder's time is what pruning reads) and may prune. */
  function firstUse() {
    if (used) return;
    used = true;
    try {
      fs.mkdirSync(tagDir, { recursive: true });
      fs.utimesSync(tagDir, new Date(now()), new Date(now()));
    } catch {
      return;
    }
    prune();
  }

  return {
    get(key) {
      firstUse();
      try {
        return fs.readFileSync(file(key), "utf8");
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      firstUse();
      try {
        const f = file(key);
        fs.mkdirSync(path.dirname(f), { recursive: true });
        const tmp = `${f}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        fs.writeFileSync(tmp, value);
        fs.renameSync(tmp, f);
      } catch {
        // a read-only or full disk: the result is simply not kept
      }
    },
  };
}

module.exports = { hashOf, treeFiles, treeHash, cacheRoot, createDiskCache };

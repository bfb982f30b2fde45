// The grader's disk cache: what one process keeps another reads; a changed input is a new tag whose
// old siblings go once unused for a day; the entries per tag are bounded; turned off, it keeps nothing.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cachedBuild, cacheRoot, createDiskCache, hashOf, treeHash } from "./disk-cache";

let root: string;
beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), "disk-cache-"))));
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const DAY = 24 * 3600 * 1000;
const files = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [e.name]));

test("what one cache object keeps, another one with the same kind and tag reads; a missing key is a miss", () => {
  const key = hashOf("cell");
  createDiskCache(root, "typecheck", "t1").set(key, "value");
  expect(createDiskCache(root, "typecheck", "t1").get(key)).toBe("value");
  expect(createDiskCache(root, "typecheck", "t2").get(key)).toBeUndefined();
  expect(createDiskCache(root, "typecheck", "t1").get(hashOf("another cell"))).toBeUndefined();
  expect(files(root).filter((f) => f.endsWith(".tmp"))).toEqual([]);
});

test("turned off (no root), it keeps nothing and finds nothing", () => {
  const off = createDiskCache(undefined, "typecheck", "t1");
  off.set(hashOf("x"), "value");
  expect(off.get(hashOf("x"))).toBeUndefined();
  expect(cacheRoot({ COURSE_CACHE_DIR: "off" })).toBeUndefined();
  expect(cacheRoot({ COURSE_CACHE_DIR: root })).toBe(root);
  expect(cacheRoot({ XDG_CACHE_HOME: "/var/cache/me" })).toBe("/var/cache/me/course-grader");
  expect(cacheRoot({})).toBe(path.join(os.homedir(), ".cache", "course-grader"));
});

test("another tag unused for a day is removed on first use; one used within the day stays", () => {
  createDiskCache(root, "k", "old").set(hashOf("a"), "1");
  createDiskCache(root, "k", "recent").set(hashOf("b"), "2");
  const twoDaysAgo = new Date(Date.now() - 2 * DAY);
  fs.utimesSync(path.join(root, "k", "old"), twoDaysAgo, twoDaysAgo);
  createDiskCache(root, "k", "new").get(hashOf("c"));
  expect(fs.readdirSync(path.join(root, "k")).sort()).toEqual(["new", "recent"]);
});

test("a tag keeps its newest entries up to its bound, checked at most once a day", () => {
  const keys = Array.from({ length: 6 }, (_, i) => hashOf(`cell ${i}`));
  const first = createDiskCache(root, "k", "t", { maxEntries: 4 });
  keys.forEach((k, i) => {
    first.set(k, String(i));
    const at = new Date(Date.now() - (10 - i) * 60_000);
    fs.utimesSync(path.join(root, "k", "t", k.slice(0, 2), k), at, at);
  });
  // Within the day of the first use's check, nothing is pruned.
  createDiskCache(root, "k", "t", { maxEntries: 4 }).get(keys[0]);
  expect(keys.filter((k) => createDiskCache(root, "k", "t").get(k) !== undefined)).toHaveLength(6);
  const later = createDiskCache(root, "k", "t", { maxEntries: 4, now: () => Date.now() + 2 * DAY });
  later.get(keys[0]);
  expect(keys.map((k) => createDiskCache(root, "k", "t").get(k))).toEqual([undefined, undefined, "2", "3", "4", "5"]);
});

test("a tree's hash changes with a file's content or name, not with files of other kinds or skipped folders", () => {
  fs.mkdirSync(path.join(root, "course", "build"), { recursive: true });
  fs.writeFileSync(path.join(root, "course.ts"), "export const a = 1;");
  fs.writeFileSync(path.join(root, "notes.ipynb"), "{}");
  const h0 = treeHash(root, [".ts"], ["build"]);
  fs.writeFileSync(path.join(root, "notes.ipynb"), '{"cells": []}');
  fs.writeFileSync(path.join(root, "course", "build", "x.ts"), "built");
  expect(treeHash(root, [".ts"], ["build"])).toBe(h0);
  fs.writeFileSync(path.join(root, "course.ts"), "export const a = 2;");
  expect(treeHash(root, [".ts"], ["build"])).not.toBe(h0);
  expect(hashOf("ab", "c")).not.toBe(hashOf("a", "bc"));
});

test("a cached build runs once for the same inputs, in any process, and again when an input changes", () => {
  const before = process.env.COURSE_CACHE_DIR;
  process.env.COURSE_CACHE_DIR = root;
  try {
    let builds = 0;
    const build = () => `program ${++builds}`;
    expect(cachedBuild("bundle", ["builder", "source a"], build)).toBe("program 1");
    expect(cachedBuild("bundle", ["builder", "source a"], build)).toBe("program 1");
    expect(cachedBuild("bundle", ["builder", "source b"], build)).toBe("program 2");
    expect(builds).toBe(2);
  } finally {
    if (before === undefined) delete process.env.COURSE_CACHE_DIR;
    else process.env.COURSE_CACHE_DIR = before;
  }
});

// Types of disk-cache.js (plain JavaScript: the kernel loads it before anything is compiled).
import type * as nodeFs from "fs";

export interface DiskCache {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}
export type CacheFs = Pick<
  typeof nodeFs,
  | "readFileSync"
  | "writeFileSync"
  | "renameSync"
  | "mkdirSync"
  | "readdirSync"
  | "statSync"
  | "rmSync"
  | "utimesSync"
  | "existsSync"
>;
/** A SHA-256 hex digest of the parts, each length-prefixed so that ("ab", "c") and ("a", "bc") differ. */
export declare function hashOf(...parts: (string | Buffer)[]): string;
/** Every file under `dir` whose name ends with one of `exts`, skipping `skip` folders and hidden files and folders, in a fixed order. */
export declare function treeFiles(dir: string, exts: string[], skip?: string[], fs?: CacheFs): string[];
/** A hash of every file under `dir` whose name ends with one of `exts` (paths and contents), skipping `skip` folders. */
export declare function treeHash(dir: string, exts: string[], skip?: string[], fs?: CacheFs): string;
/** COURSE_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache, /course-grader; undefined when turned off. */
export declare function cacheRoot(env?: NodeJS.ProcessEnv): string | undefined;
export declare function createDiskCache(
  root: string | undefined,
  kind: string,
  tag: string,
  opts?: { maxEntries?: number; fs?: CacheFs; now?: () => number },
): DiskCache;

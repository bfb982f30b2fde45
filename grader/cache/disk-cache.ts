// The grader's disk cache is notebooks/kernel/disk-cache.js: plain JavaScript, because the course's
// kernel reads the same cache (a cell's conversion, notebooks/kernel/conversions.js) before anything
// is compiled, and a learner's release holds the kernel without the grader. Its layout, tags, atomic
// writes and pruning are described there.
import { cacheRoot, createDiskCache, hashOf } from "../../notebooks/kernel/disk-cache.js";

export { cacheRoot, createDiskCache, hashOf, treeHash, type DiskCache } from "../../notebooks/kernel/disk-cache.js";

/**
 * A text built from `inputs` (a program from its source files, say), kept on disk under `kind` and
 * rebuilt only when an input changes: the builder's own file text belongs in the inputs when it
 * writes part of the result.
 */
export function cachedBuild(kind: string, inputs: string[], build: () => string): string {
  const cache = createDiskCache(cacheRoot(), kind, "v1", { maxEntries: 20 });
  const key = hashOf(...inputs);
  const known = cache.get(key);
  if (known !== undefined) return known;
  const built = build();
  cache.set(key, built);
  return built;
}

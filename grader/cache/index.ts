// The grader's cache on disk: results that cost seconds to compute and depend only on their inputs
// (a cell's conversion by the compiler, the learner process's program), kept across runs, keyed by a
// hash of everything they depend on — as tsc's incremental builds keep .tsbuildinfo. Imports no other room.
export { cachedBuild, cacheRoot, createDiskCache, hashOf, type DiskCache } from "./disk-cache";

// Types of cached-converter.js (plain JavaScript: the kernel loads it before anything is compiled).
import type { createConverter } from "tslab/dist/converter";

type Converter = ReturnType<typeof createConverter>;
export declare function createCachedConverter(
  start: () => Converter,
  o: {
    dir: string;
    root: string | undefined;
    tagOf?: (dir: string) => string;
    counts?: { cached: number; compiled: number };
  },
): Converter;

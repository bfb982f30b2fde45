// The course's one way to Node: tslab compiles these files without Node's types (the learner's
// install has no @types/node), so `require` and `__dirname` are declared here, once, and every other
// file loads what it needs through `load`, typed where it is used.
declare const require: (id: string) => unknown;
declare const __dirname: string;

/** This folder, notebooks/course/: the data (../../data) and the public checks (../checks) are found from it. */
export const courseDir: string = __dirname;

/** A module, loaded when first needed ("./x" resolves from notebooks/course/): `load<typeof import("mathjs")>("mathjs")`. */
export const load = <T>(id: string): T => require(id) as T;

/** The parts of Node's fs and zlib the course reads files with. */
export interface NodeFs {
  readFileSync(path: string): Uint8Array;
  readFileSync(path: string, encoding: "utf8"): string;
  existsSync(path: string): boolean;
}
export interface NodeZlib {
  gunzipSync(data: Uint8Array): Uint8Array;
  inflateSync(data: Uint8Array): Uint8Array;
}

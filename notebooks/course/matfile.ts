// A reader for MATLAB Level 5 MAT-files (what `save` writes by default before v7.3, and what
// scipy.io.savemat writes): real numeric 2-D matrices, compressed or not. Written here because the
// one reader on npm is GPL-licensed (this course is MIT) and ESM-only; see docs/design.md.
// Format: MathWorks, "MAT-File Format" (matfile_format.pdf), Level 5 chapter.
import { load, type NodeFs, type NodeZlib } from "./node";
import { NDArray } from "./ndarray";

const MI = {
  INT8: 1,
  UINT8: 2,
  INT16: 3,
  UINT16: 4,
  INT32: 5,
  UINT32: 6,
  SINGLE: 7,
  DOUBLE: 9,
  INT64: 12,
  UINT64: 13,
  MATRIX: 14,
  COMPRESSED: 15,
} as const;
/** The numeric array classes (mxDOUBLE_CLASS = 6 … mxUINT64_CLASS = 15); 1–5 are cells, structs, objects, chars, sparse. */
const NUMERIC_CLASSES = new Set([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
const CLASS_NAMES: Record<number, string> = {
  1: "a cell array",
  2: "a struct",
  3: "an object",
  4: "a char array",
  5: "a sparse matrix",
};

interface Element {
  type: number;
  data: Uint8Array;
}

class Reader {
  private at = 0;
  constructor(
    private bytes: Uint8Array,
    private le: boolean,
    private name: string,
  ) {}
  get done() {
    return this.at >= this.bytes.length;
  }

  /** The next data element: its type and its bytes (small elements pack both into 8 bytes). */
  element(): Element {
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.at);
    if (this.bytes.length - this.at < 8) throw new Error(`${this.name}: truncated inside a data element's tag`);
    const word = view.getUint32(0, this.le);
    if (word >>> 16 !== 0) {
      // small data element: 2-byte size, 2-byte type, up to 4 bytes of data
      const size = word >>> 16,
        type = word & 0xffff;
      const data = this.bytes.subarray(this.at + 4, this.at + 4 + size);
      this.at += 8;
      return { type, data };
    }
    const size = view.getUint32(4, this.le);
    if (this.bytes.length - this.at - 8 < size)
      throw new Error(`${this.name}: truncated: an element of ${size} bytes, ${this.bytes.length - this.at - 8} left`);
    const data = this.bytes.subarray(this.at + 8, this.at + 8 + size);
    this.at += 8 + (word === MI.COMPRESSED ? size : Math.ceil(size / 8) * 8); // padded to 8 bytes, except compressed ones
    return { type: word, data };
  }
}

/** The numbers of a numeric element, whatever integer or float type MATLAB stored them as. */
function numbers(e: Element, le: boolean, name: string): Float64Array {
  const v = new DataView(e.data.buffer, e.data.byteOffset, e.data.byteLength);
  const read: Record<number, [number, (o: number) => number]> = {
    [MI.INT8]: [1, (o) => v.getInt8(o)],
    [MI.UINT8]: [1, (o) => v.getUint8(o)],
    [MI.INT16]: [2, (o) => v.getInt16(o, le)],
    [MI.UINT16]: [2, (o) => v.getUint16(o, le)],
    [MI.INT32]: [4, (o) => v.getInt32(o, le)],
    [MI.UINT32]: [4, (o) => v.getUint32(o, le)],
    [MI.SINGLE]: [4, (o) => v.getFloat32(o, le)],
    [MI.DOUBLE]: [8, (o) => v.getFloat64(o, le)],
    [MI.INT64]: [8, (o) => Number(v.getBigInt64(o, le))],
    [MI.UINT64]: [8, (o) => Number(v.getBigUint64(o, le))],
  };
  const r = read[e.type];
  if (!r) throw new Error(`${name}: data of type ${e.type} is not numeric`);
  return Float64Array.from({ length: e.data.byteLength / r[0] }, (_, i) => r[1](i * r[0]));
}

/** One variable: a named numeric matrix, turned from MATLAB's column-major order into a row-major NDArray. */
function matrix(m: Element, le: boolean, file: string, out: Record<string, NDArray>): void {
  const r = new Reader(m.data, le, file);
  const flags = numbers(r.element(), le, file);
  const cls = flags[0] & 0xff,
    complex = (flags[0] & 0x800) !== 0;
  const dims = Array.from(numbers(r.element(), le, file));
  const name = new TextDecoder().decode(r.element().data);
  if (!NUMERIC_CLASSES.has(cls))
    throw new Error(
      `${file}: variable ${name} is ${CLASS_NAMES[cls] ?? `of class ${cls}`}; only numeric matrices can be read`,
    );
  if (complex) throw new Error(`${file}: variable ${name} is complex; only real matrices can be read`);
  if (dims.length !== 2)
    throw new Error(`${file}: variable ${name} has ${dims.length} dimensions; only 2-D matrices can be read`);
  const [rows, cols] = dims,
    values = numbers(r.element(), le, `${file}: ${name}`);
  if (values.length !== rows * cols)
    throw new Error(`${file}: variable ${name} is ${rows} × ${cols} but holds ${values.length} values`);
  const out2 = new NDArray(rows, cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out2.data[i * cols + j] = values[j * rows + i];
  out[name] = out2;
}

/** Reads every variable of a Level 5 MAT-file as an NDArray, by name. */
export function readMat(file: string): Record<string, NDArray> {
  const bytes = load<NodeFs>("fs").readFileSync(file);
  if (bytes.length < 128)
    throw new Error(`${file}: ${bytes.length} bytes — too short for a MAT-file's 128-byte header`);
  const text = new TextDecoder("latin1").decode(bytes.subarray(0, 116));
  const endian = String.fromCharCode(bytes[126], bytes[127]);
  if (!text.startsWith("MATLAB 5.0 MAT-file") || (endian !== "IM" && endian !== "MI")) {
    throw new Error(
      `${file}: not a MATLAB Level 5 MAT-file (the header starts "${text.slice(0, 20).replace(/[^\x20-\x7e]/g, "?")}")${text.startsWith("MATLAB 7.3") ? " — v7.3 files are HDF5: save with -v7" : ""}`,
    );
  }
  const le = endian === "IM";
  const r = new Reader(bytes.subarray(128), le, file),
    out: Record<string, NDArray> = {};
  while (!r.done) {
    let e = r.element();
    if (e.type === MI.COMPRESSED) {
      let inflated: Uint8Array;
      try {
        inflated = load<NodeZlib>("zlib").inflateSync(e.data);
      } catch (err) {
        throw new Error(`${file}: a compressed variable does not inflate (${(err as Error).message})`, { cause: err });
      }
      e = new Reader(inflated, le, file).element();
    }
    if (e.type === MI.MATRIX) matrix(e, le, file, out);
  }
  return out;
}

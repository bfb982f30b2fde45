// MNIST in IDX format (gzip), read with Node's zlib and a small parser, and the course's seeded
// subsets: X is (784, m) with pixels scaled to [−1, 1], labels Y are (1, m), as in the course.
import { courseDir, load, type NodeFs, type NodeZlib } from "./node";
import { NDArray } from "./ndarray";
import { RandomState } from "./random";

export const MNIST_DIR = `${courseDir}/../../data/mnist`;

/** An IDX file's contents: its dimensions and its unsigned bytes (e.g. [10000, 28, 28]). */
export interface Idx {
  dims: number[];
  data: Uint8Array;
}

/**
 * Parses IDX bytes: two zero bytes, a type byte (0x08 = unsigned byte, the only one MNIST uses),
 * the number of dimensions, each dimension as a big-endian 32-bit count, then the values.
 */
export function parseIdx(bytes: Uint8Array, name = "IDX data", expectedMagic?: number): Idx {
  if (bytes.length < 4) throw new Error(`${name}: only ${bytes.length} bytes — truncated before the magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const type = bytes[2],
    ndims = bytes[3];
  if (
    bytes[0] !== 0 ||
    bytes[1] !== 0 ||
    type !== 0x08 ||
    ndims < 1 ||
    (expectedMagic !== undefined && magic !== expectedMagic)
  ) {
    const want =
      expectedMagic !== undefined
        ? `${expectedMagic} (0x${expectedMagic.toString(16).padStart(8, "0")})`
        : "0x000008NN (unsigned bytes, NN dimensions)";
    throw new Error(
      `${name}: bad magic number ${magic} (0x${magic.toString(16).padStart(8, "0")}), expected ${want} — not an MNIST IDX file of this kind`,
    );
  }
  const header = 4 + 4 * ndims;
  if (bytes.length < header)
    throw new Error(`${name}: truncated in the header (${bytes.length} bytes, the header needs ${header})`);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i));
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - header < count)
    throw new Error(
      `${name}: truncated: dimensions ${dims.join(" × ")} need ${count} values, the file has ${bytes.length - header}`,
    );
  return { dims, data: bytes.subarray(header, header + count) };
}

/** Reads a gzipped IDX file, with the file's name in every error. */
export function readIdxGz(file: string, expectedMagic?: number): Idx {
  const fs = load<NodeFs>("fs"),
    zlib = load<NodeZlib>("zlib");
  const raw: Uint8Array = fs.readFileSync(file);
  let bytes: Uint8Array;
  try {
    bytes = zlib.gunzipSync(raw);
  } catch (e) {
    throw new Error(`${file}: not a readable gzip file (${(e as Error).message}) — truncated or not gzipped?`, {
      cause: e,
    });
  }
  return parseIdx(bytes, file, expectedMagic);
}

/** The 10,000 MNIST test images (10000 × 28 × 28 bytes) and their labels. */
export function loadMnistTest(dir = MNIST_DIR): { images: Uint8Array; labels: Uint8Array; count: number } {
  const images = readIdxGz(`${dir}/t10k-images-idx3-ubyte.gz`, 2051);
  const labels = readIdxGz(`${dir}/t10k-labels-idx1-ubyte.gz`, 2049);
  if (images.dims[1] !== 28 || images.dims[2] !== 28)
    throw new Error(`MNIST images are ${images.dims.join(" × ")}, expected N × 28 × 28`);
  if (images.dims[0] !== labels.dims[0])
    throw new Error(`MNIST: ${images.dims[0]} images but ${labels.dims[0]} labels`);
  const bad = labels.data.findIndex((l) => l > 9);
  if (bad >= 0) throw new Error(`MNIST labels: label ${labels.data[bad]} at index ${bad} is not a digit 0–9`);
  return { images: images.data, labels: labels.data, count: labels.dims[0] };
}

export interface MnistSubsets {
  /** (784, 2000): one image per column, pixels scaled to [−1, 1]. */
  trainX: NDArray;
  /** (1, 2000): the digits 0–9. */
  trainY: NDArray;
  testX: NDArray;
  testY: NDArray;
  /** Which of the 10,000 images each column is (for showing them). */
  trainIndex: number[];
  testIndex: number[];
}

/** Columns of pixel values scaled to [−1, 1] (x / 127.5 − 1) for the given images. */
function columns(images: Uint8Array, index: number[]): NDArray {
  const m = index.length,
    X = new NDArray(784, m),
    d = X.data;
  index.forEach((img, j) => {
    for (let p = 0; p < 784; p++) d[p * m + j] = images[img * 784 + p] / 127.5 - 1;
  });
  return X;
}

/**
 * The course's subsets: with RandomState(seed), a permutation of the 10,000 images; the first
 * `train` are the training set, the next `test` the test set (so the two never share an image).
 */
export function mnistSubsets(opts: { seed?: number; train?: number; test?: number; dir?: string } = {}): MnistSubsets {
  const { seed = 1, train = 2000, test = 1000, dir = MNIST_DIR } = opts;
  const { images, labels, count } = loadMnistTest(dir);
  if (train + test > count)
    throw new RangeError(`mnistSubsets: ${train} + ${test} images asked for, only ${count} exist`);
  const order = new RandomState(seed).permutation(count) as number[];
  const trainIndex = order.slice(0, train),
    testIndex = order.slice(train, train + test);
  const labelRow = (index: number[]) =>
    new NDArray(
      1,
      index.length,
      Float64Array.from(index, (i) => labels[i]),
    );
  return {
    trainX: columns(images, trainIndex),
    trainY: labelRow(trainIndex),
    testX: columns(images, testIndex),
    testY: labelRow(testIndex),
    trainIndex,
    testIndex,
  };
}

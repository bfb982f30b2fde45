import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gzipSync } from "zlib";
import { loadMnistTest, mnistSubsets, parseIdx, readIdxGz } from "./mnist";
import { max, min } from "./nd";

const idx = (magic: number, dims: number[], values: number[]) => {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return new Uint8Array(Buffer.concat([header, Buffer.from(values)]));
};

describe("IDX files", () => {
  test("a well-formed file gives its dimensions and bytes", () => {
    const r = parseIdx(idx(2049, [3], [7, 2, 1]), "labels", 2049);
    expect([r.dims, Array.from(r.data)]).toEqual([[3], [7, 2, 1]]);
  });
  test("a wrong magic number, a short header and missing values are each named", () => {
    expect(() => parseIdx(idx(2051, [3], [7, 2, 1]), "labels", 2049)).toThrow(
      "labels: bad magic number 2051 (0x00000803), expected 2049 (0x00000801) — not an MNIST IDX file of this kind",
    );
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0]), "images")).toThrow(
      "images: truncated in the header (6 bytes, the header needs 16)",
    );
    expect(() => parseIdx(idx(2049, [5], [1, 2]), "labels")).toThrow(
      "labels: truncated: dimensions 5 need 5 values, the file has 2",
    );
    expect(() => parseIdx(new Uint8Array([0, 0]), "x")).toThrow("x: only 2 bytes — truncated before the magic number");
  });
  test("a file that is not gzip says so with its name", () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "idx-")), "plain.gz");
    fs.writeFileSync(f, "not gzip at all");
    expect(() => readIdxGz(f)).toThrow(`${f}: not a readable gzip file`);
    fs.writeFileSync(f, gzipSync(idx(2049, [2], [4, 5])).subarray(0, 12));
    expect(() => readIdxGz(f)).toThrow(/truncated or not gzipped/);
  });
});

describe("the MNIST test set as data/README.md describes it", () => {
  const { labels, count, images } = loadMnistTest();
  test("10,000 labels, the first ten 7 2 1 0 4 1 4 9 5 9, the published class counts", () => {
    expect(count).toBe(10000);
    expect(Array.from(labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    const counts = new Array(10).fill(0);
    labels.forEach((l) => counts[l]++);
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(images.length).toBe(10000 * 784);
  });
});

describe("the course's subsets", () => {
  const d = mnistSubsets();
  test("are NumPy's RandomState(1).permutation(10000): training first, test next, never sharing an image", () => {
    // numpy: np.random.RandomState(1).permutation(10000)[:8] and [2000:2004]
    expect(d.trainIndex.slice(0, 8)).toEqual([9953, 3850, 4962, 3886, 5437, 8517, 2041, 1989]);
    expect(d.testIndex.slice(0, 4)).toEqual([2694, 5140, 2568, 3671]);
    expect(new Set([...d.trainIndex, ...d.testIndex]).size).toBe(3000);
  });
  test("hold one image per column, pixels scaled to [−1, 1], and labels as a (1, m) row", () => {
    expect([d.trainX.shape, d.trainY.shape, d.testX.shape, d.testY.shape]).toEqual([
      [784, 2000],
      [1, 2000],
      [784, 1000],
      [1, 1000],
    ]);
    expect([min(d.trainX), max(d.trainX)]).toEqual([-1, 1]);
    const { images, labels } = loadMnistTest();
    expect(d.trainX.get(400, 3)).toBe(images[3886 * 784 + 400] / 127.5 - 1);
    expect(d.trainY.get(0, 3)).toBe(labels[3886]);
  });
});

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadEx4Weights } from "./ex4";
import { readMat } from "./matfile";
import { sliceCols, square, sum } from "./nd";

const fixture = (name: string) => path.join(__dirname, "..", "..", "test", "fixtures", "mat", name);
const tmpFile = (bytes: Uint8Array | string) => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mat-")), "x.mat");
  fs.writeFileSync(f, bytes);
  return f;
};

test.each(["plain.mat", "compressed.mat"])(
  "%s (written by scipy.io.savemat) reads back every variable row by row",
  (name) => {
    const vars = readMat(fixture(name));
    expect(Object.fromEntries(Object.entries(vars).map(([k, m]) => [k, m.toArray()]))).toEqual({
      A: [
        [1.5, -2, 3.25],
        [4, 5.5, -6],
      ],
      ints: [
        [1, -2],
        [300, 4],
      ],
      bytes: [[7, 8, 9]],
      col: [[0.1], [0.2], [0.3], [0.4]],
    });
  },
);

test("a struct, a file that is not a MAT-file, a v7.3 file and a truncated file are each refused by name", () => {
  expect(() => readMat(fixture("struct.mat"))).toThrow("variable s is a struct; only numeric matrices can be read");
  expect(() => readMat(tmpFile("x".repeat(200)))).toThrow(
    'not a MATLAB Level 5 MAT-file (the header starts "xxxxxxxxxxxxxxxxxxxx")',
  );
  expect(() => readMat(tmpFile("MATLAB 7.3 MAT-file".padEnd(200)))).toThrow("v7.3 files are HDF5: save with -v7");
  expect(() => readMat(tmpFile("short"))).toThrow("too short for a MAT-file's 128-byte header");
  const plain = fs.readFileSync(fixture("plain.mat"));
  expect(() => readMat(tmpFile(plain.subarray(0, 200)))).toThrow(/truncated/);
});

test("the ex4 weights load as 25 × 401 and 10 × 26, with the sums of squares data/README.md gives", () => {
  const { Theta1, Theta2 } = loadEx4Weights();
  expect([Theta1.shape, Theta2.shape]).toEqual([
    [25, 401],
    [10, 26],
  ]);
  expect(sum(square(sliceCols(Theta1, 1)))).toBeCloseTo(392.58414242768436, 9);
  expect(sum(square(sliceCols(Theta2, 1)))).toBeCloseTo(568.822796868363, 9);
});

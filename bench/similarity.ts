// `npm run bench` (part 7): the similarity report over 500 notebooks of section 01, each made of the
// test class's parts (test/similarity/class.ts) mixed at random with its names changed: seconds to
// read, fingerprint and compare them all (124,750 pairs), and to write the HTML report.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compareNotebooks, similarityHtml } from "../grader/integrity";
import { honest, type Solution } from "../test/similarity/class";
import { notebookOf } from "../test/similarity/notebook";

const N = Number(process.env.BENCH_NOTEBOOKS ?? 500);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-similarity-"));
const learners = Object.values(honest);
let seed = 7;
const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
const parts = Object.keys(learners[0]) as (keyof Solution)[];
const files: string[] = [];
for (let n = 0; n < N; n++) {
  const mine = Object.fromEntries(
    parts.map((p) => [
      p,
      learners[Math.floor(random() * learners.length)][p].replace(/\b(total|acc|h|e|s|d|x)\b/g, `$1${n}`),
    ]),
  ) as Solution;
  files.push(path.join(dir, `learner-${n}.ipynb`));
  fs.writeFileSync(files[n], notebookOf(mine));
}
const t0 = performance.now();
const s = compareNotebooks("01-single-unit-gd", files);
const t1 = performance.now();
const html = similarityHtml("01-single-unit-gd", s, 0.9);
const t2 = performance.now();
console.log(
  `similarity of ${N} notebooks: ${s.pairCount} pairs compared in ${((t1 - t0) / 1000).toFixed(1)} s; the report (${(html.length / 1e6).toFixed(1)} MB, pairs ≥ 90 %: ${s.pairs.filter((p) => p.score >= 0.9).length}) in ${((t2 - t1) / 1000).toFixed(1)} s`,
);
fs.rmSync(dir, { recursive: true, force: true });

// The similarity report (issue 27): over a class of twelve independently written solutions of
// section 01 and one disguised copy, the copy's pair ranks first, above every honest pair; the report
// shows the distribution of all pairs and the matching lines side by side, escaped.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildNotebook, notebookJson } from "../grader/authoring";
import { main } from "../grader/cli";
import { compareNotebooks, similarityHtml } from "../grader/integrity";
import { loadExerciseSet } from "../grader/sections";
import { copyOfBo, honest } from "./similarity/class";
import { notebookOf } from "./similarity/notebook";

const S = "01-single-unit-gd";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "similarity-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const files = [
  ...Object.entries(honest).map(([name, s]) => ({ name, text: notebookOf(s, name) })),
  { name: "zed", text: notebookOf(copyOfBo, "zed <script>") },
].map(({ name, text }) => {
  const file = path.join(dir, `${name}.ipynb`);
  fs.writeFileSync(file, text);
  return file;
});

test("a renamed, reordered, re-commented copy ranks first, above every pair of honest solutions", () => {
  const s = compareNotebooks(S, files);
  expect(s.skipped).toEqual([]);
  expect(s.compared).toHaveLength(13);
  const name = (i: number) => s.compared[i].name.split(" ")[0];
  const top = s.pairs[0];
  expect([name(top.a), name(top.b)].sort()).toEqual(["bo", "zed"]);
  const honestPairs = s.pairs.filter((p) => name(p.a) !== "zed" && name(p.b) !== "zed");
  const bestHonest = Math.max(0, ...honestPairs.map((p) => p.score));
  expect(top.score).toBeGreaterThan(bestHonest);
  expect(top.score).toBeGreaterThan(0.6);
  // Printed, not asserted: how far apart the copy and the honest class are (for the closing note).
  console.log(
    `copy ${top.score.toFixed(2)}; honest pairs: best ${bestHonest.toFixed(2)}, ${honestPairs.length} of ${s.pairCount - 12} with anything in common; ${s.common} common passages left out`,
  );
});

test("the released notebook's code is nobody's: the stub handed in twice has nothing of its own to compare", () => {
  const stubs = fs.mkdtempSync(path.join(dir, "stubs-"));
  const stub = path.join(stubs, "stub-a.ipynb"),
    stub2 = path.join(stubs, "stub-b.ipynb");
  fs.writeFileSync(stub, notebookJson(buildNotebook(loadExerciseSet(S), false)));
  fs.copyFileSync(stub, stub2);
  const s = compareNotebooks(S, [stub, stub2, files[0]]);
  expect(s.skipped.map((k) => k.name)).toEqual(["stub-a", "stub-b"]);
  expect(s.pairs).toEqual([]);
});

test("the report shows every pair's score distribution, the pair above the threshold side by side, and escapes learners' text", () => {
  const s = compareNotebooks(S, files);
  const html = similarityHtml(S, s, 0.6);
  expect(html).toContain("How alike the pairs are");
  expect(html).toContain("zed &lt;script&gt;");
  expect(html).not.toContain("<script>");
  expect(html).toContain('<h3 id="pair-1">1. bo — zed &lt;script&gt; (zed): ');
  // The matching lines are marked on both sides: Bo's loop and the copy's, under their own names.
  expect(html).toContain("<mark>  for (let j = 0; j &lt; x.length; j++) {</mark>");
  expect(html).toContain("<mark>  for (let q = 0; q &lt; x.length; q++) {</mark>");
});

test("course similarity writes the report and names the pairs above the threshold", async () => {
  let out = "",
    err = "";
  const report = path.join(dir, "report.html");
  const code = await main(
    ["node", "course", "similarity", "01", dir, "--out", report, "--threshold", "60"],
    { write: (s: string) => ((out += s), true) } as never,
    { write: (s: string) => ((err += s), true) } as never,
  );
  expect(code).toBe(0);
  expect(err).toBe(""); // every notebook was read and compared
  expect(out).toMatch(/^13 notebooks compared \(78 pairs\) in [\d.]+ s; 1 pair at 60 % or more; wrote /);
  expect(out).toMatch(/\n {2}\d+ % {2}bo — zed <script> \(zed\)\n$/);
  expect(fs.readFileSync(report, "utf8")).toContain("Similarity of learners' code");
});

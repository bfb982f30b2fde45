// The hostile-submission corpus (test/corpus/cases.ts) graded as one batch, the way an instructor
// grades a class: every case gets its expected status and points, the batch completes, nothing
// escapes, and no output of the grader holds a hidden expected value.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gradeBatch, type LearnerResult } from "../grader/batch";
import { loadExerciseSet, loadSolution } from "../grader/expected";
import { gradeNotebook } from "../grader/grade";
import { feedbackHtml, feedbackMarkdown, gradebookCsv } from "../grader/gradebook";
import { formatTable, gradescopeJson } from "../grader/report";
import { closeTypeChecker } from "../grader/typecheck";
import { checkLeaks } from "../grader/verify";
import { edited, json } from "./corpus/build";
import { cases, marker } from "./corpus/cases";

const S = "01-single-unit-gd";
const set = loadExerciseSet(S);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "corpus-"));
let results: LearnerResult[] = [];
/** Every learner process the batch started: each leads its own process group. */
const spawned = new Set<number>();

beforeAll(async () => {
  for (const c of cases) fs.writeFileSync(path.join(dir, `${c.name}.ipynb`), c.file(dir));
  const t0 = Date.now();
  results = await gradeBatch(cases.map((c) => path.join(dir, `${c.name}.ipynb`)), { jobs: 2, onSpawn: (pid) => spawned.add(pid) });
  const seconds = (Date.now() - t0) / 1000; // printed, never asserted: the machine may be slow or busy
  // The table of the closing note: case, outcome, time.
  const rows = cases.map((c, i) => `${c.group.padEnd(8)} ${c.name.padEnd(46)} ${results[i].status.padEnd(15)} ${String(results[i].report?.score ?? "-").padStart(4)}  ${results[i].seconds.toFixed(1).padStart(5)} s`);
  console.log(`${cases.length} cases graded as one batch on 2 workers in ${seconds.toFixed(0)} s\n${rows.join("\n")}`);
});
afterAll(() => closeTypeChecker());

test("the corpus covers every kind of hostile or broken submission, at least 40 cases", () => {
  expect(cases.length).toBeGreaterThanOrEqual(40);
  expect(new Set(cases.map((c) => c.group))).toEqual(new Set(["runaway", "escape", "lying", "broken", "mistake"]));
  expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
});

test.each(cases.map((c, i) => [c.name, i] as const))("%s gets its expected status and points", (_name, i) => {
  const c = cases[i], r = results[i];
  expect([c.name, [c.expect.status, ...(c.expect.orStatus ?? [])].includes(r.status) ? c.expect.status : r.status]).toEqual([c.name, c.expect.status]);
  if (c.expect.status === "not-a-notebook") return expect(r.error).toMatch(/\S/);
  const want = Object.fromEntries(set.parts.map((p) => [p.name, (c.expect.zero ?? []).includes(p.name) ? 0 : p.points]));
  expect(Object.fromEntries(r.report!.parts.map((p) => [p.name, p.points]))).toEqual(want);
  if (c.expect.notes) expect(r.report!.notes.join("\n")).toMatch(c.expect.notes);
  for (const [part, re] of Object.entries(c.expect.feedback ?? {})) expect(r.report!.parts.find((p) => p.name === part)!.feedback.join("\n")).toMatch(re);
});

test("the whole batch, runaway cases included, gives every case its row", () => {
  expect(results).toHaveLength(cases.length);
  expect(results.map((r) => path.basename(r.file, ".ipynb"))).toEqual(cases.map((c) => c.name));
});

test("no output of the grader over the corpus — table, results.json, gradebook, feedback — holds a hidden value or a solution line", () => {
  const outputs = [
    { name: "gradebook.csv", text: gradebookCsv(results) },
    ...results.flatMap((r) => [
      { name: `${r.learner}.md`, text: feedbackMarkdown(r) },
      { name: `${r.learner}.html`, text: feedbackHtml(r) },
      ...(r.report ? [{ name: `${r.learner} table`, text: formatTable(r.report, 200) }, { name: `${r.learner}.json`, text: JSON.stringify(gradescopeJson(r.report)) }] : []),
    ]),
  ];
  expect(checkLeaks(set, loadSolution(S), outputs)).toEqual([]);
});

test("no escape attempt left a trace: no file written, no process of the batch's learner process groups still running", () => {
  expect(fs.existsSync(marker(dir))).toBe(false);
  expect(spawned.size).toBeGreaterThanOrEqual(cases.length - cases.filter((c) => c.expect.status === "not-a-notebook").length);
  expect(livingInGroups(spawned)).toEqual([]);
});

/** Processes (not zombies) whose process group is one of `groups`, as "pid command". */
function livingInGroups(groups: Set<number>): string[] {
  const out: string[] = [];
  for (const pid of fs.readdirSync("/proc").filter((f) => /^\d+$/.test(f))) {
    let stat: string;
    try { stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8"); } catch { continue; } // gone meanwhile
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses, so split after the last ")".
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (state !== "Z" && groups.has(Number(pgrp))) out.push(`${pid} ${stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"))}`);
  }
  return out;
}

describe("NDArrays that lie (section 05)", () => {
  const relu = (source: string) => path.join(dir, `05-${Math.random().toString(36).slice(2)}.ipynb`);
  const grade = async (edits: Parameters<typeof edited>[1]) => {
    const file = relu("");
    fs.writeFileSync(file, json(edited("05-mnist", edits)));
    return (await gradeNotebook(file, { parts: ["relu"] })).parts[0];
  };
  const SIG = "function relu(Z: NDArray): { A: NDArray; cache: ActivationCache }";
  test("a subclass of NDArray is refused", async () => {
    const p = await grade({ replace: { relu: `class Fake extends NDArray {}\n${SIG} {\n  return { A: Object.setPrototypeOf(maximum(Z, 0), Fake.prototype), cache: { Z } };\n}` } });
    expect([p.points, p.feedback.join("\n")]).toEqual([0, expect.stringMatching(/returned an instance of Fake/)]);
  });
  test("an object made from NDArray's prototype without values is refused", async () => {
    const p = await grade({ replace: { relu: `${SIG} {\n  return { A: Object.assign(Object.create(NDArray.prototype), { rows: Z.rows, cols: Z.cols }), cache: { Z } };\n}` } });
    expect(p.points).toBe(0);
  });
  test("patching NDArray's data getter cannot make a wrong ReLU pass", async () => {
    const p = await grade({
      replace: { relu: `${SIG} {\n  return { A: Z, cache: { Z } };\n}` },
      append: ["Object.defineProperty(NDArray.prototype, \"data\", { get() { return new Float64Array(this.rows * this.cols); } });"],
    });
    expect(p.points).toBe(0);
  });
  test("a correct ReLU still passes after the learner patched Object and Array", async () => {
    const p = await grade({ append: ["(Object as any).getOwnPropertyDescriptors = () => ({});\n(Array as any).from = () => [];\n(Array.prototype as any).push = () => 0;"] });
    expect([p.points, p.status]).toEqual([4, "passed"]);
  });
});

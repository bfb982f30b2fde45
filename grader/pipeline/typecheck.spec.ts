// The type-checker in its worker thread: stopped when a notebook outlives its limit of the thread's
// CPU time, never failed by a busy machine, and never left broken by a cell the compiler cannot handle.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cacheRoot, createDiskCache } from "../cache";
import { learnerPlace } from "../sections";
import { MachineBusy, threadCpuMs, type Clock } from "../isolation";
import { TypeCheckTimeout } from "./errors";
import { createTypeChecker } from "./typecheck";

const dir = path.join(__dirname, "..", "..", "notebooks");
const checker = createTypeChecker(dir);
afterAll(() => checker.close());
const cell = (n: number, source: string) => ({ cell: n, source });
/** Tests of the thread's limits keep nothing on disk: a conversion found there would never reach the thread. */
const noDisk = createDiskCache(undefined, "typecheck", "none");

test("cells are checked in order with the declarations of the cells before them", async () => {
  const p = await checker.check([
    cell(1, "const k = 2;"),
    cell(2, "const s: string = k;"),
    cell(3, "function f(x: number) { return k * x; }"),
  ]);
  expect(p.cells.map((c) => [c.cell, c.diagnostics.map((d) => d.message), c.js !== undefined])).toEqual([
    [1, [], true],
    [2, ["Type 'number' is not assignable to type 'string'."], false],
    [3, [], true],
  ]);
});

test("a cell the compiler itself cannot handle is skipped, and the next notebook is checked by a fresh converter", async () => {
  const deep = `const deep = ${"(".repeat(60000)}1${")".repeat(60000)};`;
  const p = await checker.check([cell(1, deep), cell(2, "const ok = 1;")]);
  expect(p.cells[0].diagnostics[0].message).toMatch(/^the type-checker could not handle this cell/);
  expect(p.cells[1].diagnostics).toEqual([]);
  const next = await checker.check([cell(1, "function g(x: number): number { return x + 1; }")]);
  expect(next.cells[0].diagnostics).toEqual([]);
});

test("a notebook whose type-check uses more than its CPU limit is stopped (its worker ended), and the checker works again afterwards", async () => {
  // Once the course helper is compiled (its own limit), a thread whose every reading says it used
  // another second of CPU: the notebook's limit is reached however idle or busy the machine is.
  let fakeCpu = 0,
    greedyNow = false;
  const greedy = createTypeChecker(dir, {
    disk: noDisk,
    limitMs: 3000,
    threadCpu: (tid) => (threadCpuMs(tid) ?? 0) + (greedyNow ? (fakeCpu += 1000) : 0),
  });
  try {
    await greedy.warm();
    greedyNow = true;
    await expect(
      greedy.check(Array.from({ length: 30 }, (_, i) => cell(i + 1, `const slow${i} = ${i};`))),
    ).rejects.toThrow(/took more than 3 s of the compiler's CPU time \(it stopped at code cell \d+;/);
  } finally {
    greedy.close();
  }
  expect((await checker.check([cell(1, "const after = 3;")])).cells[0].diagnostics).toEqual([]);
});

test("a type-check that a busy machine leaves unscheduled is the machine's problem (MachineBusy), never a timeout", async () => {
  // Once starved, the thread uses no CPU while each of the grader's timers finds a minute gone by.
  let starved = false,
    skew = 0;
  const clock: Clock = {
    now: () => performance.now() + skew,
    setTimeout: (f, ms) => setTimeout(() => (starved && (skew += 60_000), f()), starved ? 0 : ms),
    clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout),
  };
  const busy = createTypeChecker(dir, {
    disk: noDisk,
    limitMs: 5000,
    clock,
    threadCpu: (tid) => (starved ? 0 : threadCpuMs(tid)),
  });
  try {
    await busy.warm();
    starved = true;
    const long = Array.from({ length: 200 }, (_, i) => `const v${i}: number = ${i} * 2;`).join("\n");
    const err = await busy.check([cell(1, long)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MachineBusy);
    expect(err).not.toBeInstanceOf(TypeCheckTimeout);
    expect((err as Error).message).toMatch(/too busy to grade fairly: type-checking took \d+ s by the clock/);
  } finally {
    busy.close();
  }
});

test("a conversion kept on disk serves a new checker, which then starts no thread at all", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "typecheck-cache-"));
  const disk = () => createDiskCache(root, "typecheck", "tag");
  const cells = [
    cell(1, "const base = 2;"),
    cell(2, "function twice(x: number) { return base * x; }"),
    cell(3, "const bad: string = base;"),
  ];
  const first = createTypeChecker(dir, { disk: disk() });
  const fresh = await first.check(cells);
  first.close();
  // The second checker's thread would be found out by its CPU reading: none may be taken.
  let threadReadings = 0;
  const second = createTypeChecker(dir, { disk: disk(), threadCpu: () => (threadReadings++, 0) });
  try {
    expect(await second.check(cells)).toEqual(fresh);
    expect(threadReadings).toBe(0);
    expect(fresh.cells.map((c) => [c.declares, c.diagnostics.length])).toEqual([
      [["base"], 0],
      [["twice"], 0],
      [["bad"], 1],
    ]);
    expect(fresh.sideOutputs.some((s) => s.path === path.join(dir, "course.js"))).toBe(true);
  } finally {
    second.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("the disk cache is outside every folder a learner's process may read (it holds solutions' and other learners' compiled cells)", () => {
  const root = cacheRoot({ ...process.env, COURSE_CACHE_DIR: "" })!;
  const readable = learnerPlace().readable.flatMap((d) => [d, fs.realpathSync(d)]);
  expect(readable.filter((d) => path.resolve(root).startsWith(`${d}${path.sep}`))).toEqual([]);
});

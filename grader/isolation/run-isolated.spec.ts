// The isolated runner's rules, driven by a fake learner process (test/fakes/learner-process.ts):
// what it believes from the child, when it skips a cell, restarts, or stops. Milliseconds, no node.
import { fakeSpawn, honest, type Script } from "../../test/fakes/learner-process";
import { createBudget, realClock, type Clock } from "./budget";
import { clockMeter, type CpuMeter } from "./cpu-meter";
import { MachineBusy } from "./errors";
import { encodeFrame } from "./frames";
import { createIsolated, type RunLimits } from "./run-isolated";
import type { CheckedProgram } from "./program";

const program: CheckedProgram = {
  cells: [1, 2, 3].map((cell) => ({
    cell,
    label: `code cell ${cell}`,
    js: `// cell ${cell}`,
    topLevelAwait: false,
    diagnostics: [],
    declares: [],
  })),
  sideOutputs: [],
};
// NOTE: limits that honest answers must beat are generous (a busy machine can leave this process
// unscheduled for tens of milliseconds); only waits that are meant to run out are short.
const limits: RunLimits = {
  loadTimeoutMs: 5000,
  loadBudgetMs: 60_000,
  pingMs: 5000,
  startMs: 5000,
  memoryMb: 64,
  dataMb: 64,
  cpuSeconds: 5,
};
const sandbox = (nodeArgs: string[]) => ({ command: "node", args: nodeArgs, layers: [], missing: [] });
const square = { f: ([x]: unknown[]) => (x as number) ** 2 };

function isolated(
  scriptFor: (start: number) => Script,
  more: { limits?: Partial<RunLimits>; budgetMs?: number; clock?: Clock; meter?: CpuMeter } = {},
) {
  const fake = fakeSpawn(scriptFor);
  const clock = more.clock ?? realClock;
  // The fake child runs in this process: unless a spec says otherwise, its every millisecond is learner time.
  const run = createIsolated(
    program,
    { notebookDir: "/nb", readable: [] },
    { ...limits, ...more.limits },
    {
      spawn: fake.spawn,
      killGroup: fake.killGroup,
      sandbox,
      clock,
      meter: more.meter ?? clockMeter(clock),
      budget: createBudget(more.budgetMs ?? Infinity),
    },
  );
  return { run, stats: fake.stats };
}
/** An honest child, except for what `twist` does with a message first (returning true when it handled it). */
const twisted = (
  twist: Parameters<Script>[0] extends infer M ? (m: M, child: Parameters<Script>[1]) => boolean : never,
  values = square,
): Script => {
  const h = honest(values);
  return (m, child) => {
    if (!twist(m, child)) h(m, child);
  };
};

test("an honest child's value comes back, and cells load once", async () => {
  const { run, stats } = isolated(() => honest(square));
  expect(await run.loadErrors()).toEqual([]);
  expect(await run.call("f", [3], 5000)).toEqual({ kind: "value", value: 9 });
  expect(await run.call("g", [3], 5000)).toEqual({ kind: "missing", message: "not found" });
  expect(stats.starts).toBe(1);
  run.close();
});

test("a reply with another id than the one asked for ends the process as interference, and nothing more runs", async () => {
  const { run, stats } = isolated(() =>
    twisted((m, c) =>
      m.type === "call"
        ? (c.send({ type: "result", id: m.id + 1, outcome: { kind: "value", value: 1 } }), true)
        : false,
    ),
  );
  expect(await run.call("f", [1], 5000)).toMatchObject({
    kind: "interfered",
    message: expect.stringContaining("interfered with the grader's channel"),
  });
  expect((await run.call("f", [2], 5000)).kind).toBe("interfered");
  expect([stats.starts, stats.killed]).toEqual([1, 1]);
});

test('a "loaded" before every cell ran, or naming cell 0, is interference, not a grader failure', async () => {
  for (const errors of [[], [{ cell: 0, message: "the grader broke" }]]) {
    const { run } = isolated(() =>
      twisted((m, c) =>
        m.type === "load" ? (c.send({ type: "cell", cell: 1 }), c.send({ type: "loaded", errors }), true) : false,
      ),
    );
    expect(await run.loadErrors()).toEqual([]);
    expect((await run.call("f", [1], 5000)).kind).toBe("interfered");
  }
});

test("a cell message out of order is interference", async () => {
  const { run } = isolated(() =>
    twisted((m, c) => (m.type === "load" ? (c.send({ type: "cell", cell: 3 }), true) : false)),
  );
  expect((await run.call("f", [1], 5000)).kind).toBe("interfered");
});

test("a frame over the size limit, or bytes that are no frame, end the process without reading further", async () => {
  const huge = Buffer.alloc(8);
  huge.writeUInt32BE(0xffffff00, 0);
  const garbage = Buffer.concat([Buffer.from([0, 0, 0, 4]), Buffer.from([0xff, 0xff, 0xff, 0xff])]);
  for (const bytes of [huge, garbage]) {
    const { run, stats } = isolated(() => twisted((m, c) => (m.type === "call" ? (c.raw(bytes), true) : false)));
    expect(await run.call("f", [1], 5000)).toMatchObject({
      kind: "interfered",
      message: expect.stringMatching(
        /sent the grader (a message of [\d.]+ MB, over the 32 MB limit|a message the grader cannot read)/,
      ),
    });
    expect(stats.killed).toBe(1);
  }
});

test("a reply whose outcome is not one the child can send is interference; a thrown name outside the standard ones too", async () => {
  for (const outcome of [
    { kind: "value" },
    { kind: "threw", error: { name: "inputs [1, 2]", message: "x" } },
    { kind: "wrongType", reason: "made-up", message: "x" },
    "no",
  ]) {
    const { run } = isolated(() =>
      twisted((m, c) =>
        m.type === "call" ? (c.send({ type: "result", id: m.id, outcome: outcome as any }), true) : false,
      ),
    );
    expect((await run.call("f", [1], 5000)).kind).toBe("interfered");
  }
});

test("a cell that runs past its limit is skipped, noted, and the others run again without it", async () => {
  const { run, stats } = isolated(
    () =>
      twisted((m, c) => {
        if (m.type !== "load") return false;
        for (const cell of m.cells) {
          c.send({ type: "cell", cell: cell.cell });
          if (cell.cell === 2) return true;
        } // hangs in cell 2
        c.send({ type: "loaded", errors: [] });
        return true;
      }),
    { limits: { loadTimeoutMs: 1000 } },
  );
  expect(await run.loadErrors()).toEqual([{ cell: 2, message: "was skipped: its top-level code ran longer than 1 s" }]);
  expect(await run.call("f", [4], 5000)).toEqual({ kind: "value", value: 16 });
  expect(stats.starts).toBe(2);
  expect((stats.received.filter((m) => m.type === "load")[1] as any).cells.map((c: any) => c.cell)).toEqual([1, 3]);
});

test("a call that times out costs a restart; once top-level code has used the load budget, nothing is started again", async () => {
  // Time as the grader reads it: each start's top-level code "takes" 20 s (the fake child moves the
  // clock on); the load budget is 30 s, so there are two starts and then no more.
  let now = 0;
  const clock: Clock = { ...realClock, now: () => now + performance.now() };
  const slowLoad = (): Script => (m, c) => {
    if (m.type === "load") {
      // Its first cell "runs" 20 s, after the grader began to wait for it.
      c.send({ type: "cell", cell: m.cells[0].cell });
      setImmediate(() => {
        now += 20_000;
        for (const cell of m.cells.slice(1)) c.send({ type: "cell", cell: cell.cell });
        c.send({ type: "loaded", errors: [] });
      });
    } else if (m.type === "ping") c.send({ type: "pong", id: m.id });
    // calls never answer: every function loops
  };
  const { run, stats } = isolated(slowLoad, { limits: { loadBudgetMs: 30_000 }, clock });
  expect((await run.call("f", [1], 30)).kind).toBe("timeout");
  expect((await run.call("f", [1], 30)).kind).toBe("timeout");
  expect(await run.call("f", [1], 30)).toMatchObject({
    kind: "timeout",
    message:
      "not run again: the notebook's top-level code has taken 40 s over 2 starts of the learner's process, over the 30 s allowed",
  });
  expect(stats.starts).toBe(2);
});

test("when the notebook's budget is spent, the call under way stops and every later one says so", async () => {
  const { run } = isolated(() => twisted((m) => m.type === "call"), { budgetMs: 150 });
  expect(await run.call("f", [1], 10_000)).toMatchObject({
    kind: "budget",
    message: "grading stopped: the notebook used all of its 0 s",
  });
  expect((await run.call("f", [1], 10_000)).kind).toBe("budget");
});

/**
 * A meter as the OS would read a learner process that, for every millisecond of the clock, computes
 * (`cpu`), idles of its own accord (`idle`), or waits for a CPU a busy machine never gives it
 * (`starved`: a minute of the clock goes by each millisecond, and none of it is the learner's).
 */
const meterOf = (how: "cpu" | "idle" | "starved"): CpuMeter => ({
  kind: "schedstat",
  span() {
    const t0 = performance.now();
    return {
      read() {
        const ms = performance.now() - t0;
        if (how === "starved") return { cpuMs: 0, idleMs: 0, wallMs: ms * 60_000 };
        return { cpuMs: how === "cpu" ? ms : 0, idleMs: how === "idle" ? ms : 0, wallMs: ms };
      },
    };
  },
});

test("a call that computes past its limit of CPU is a timeout that says so", async () => {
  const { run } = isolated(() => twisted((m) => m.type === "call"), { meter: meterOf("cpu") });
  expect(await run.call("f", [1], 100)).toEqual({
    kind: "timeout",
    message: "timed out after 100 ms of CPU — an infinite loop?",
  });
});

test("a call that idles past its limit of its own accord (a promise that never resolves) is a timeout that says so", async () => {
  const { run } = isolated(() => twisted((m) => m.type === "call"), { meter: meterOf("idle") });
  expect(await run.call("f", [1], 100)).toMatchObject({
    kind: "timeout",
    message: expect.stringContaining("waited 100 ms without computing — a promise that never resolves"),
  });
});

test("a call that a busy machine never lets run is the machine's problem (MachineBusy) at the backstop, never a timeout", async () => {
  const { run } = isolated(() => twisted((m) => m.type === "call"), { meter: meterOf("starved") });
  await expect(run.call("f", [1], 2000)).rejects.toThrow(MachineBusy);
  await expect(run.call("f", [1], 2000)).rejects.toThrow(
    /too busy to grade fairly: the call of f took \d+ s by the clock/,
  );
});

test("a load that a busy machine never lets run is the machine's problem too, and costs the notebook nothing", async () => {
  const { run } = isolated(() => twisted((m) => m.type === "load"), { meter: meterOf("starved"), budgetMs: 10 });
  await expect(run.loadErrors()).rejects.toThrow(/too busy to grade fairly: the top-level code of cell 0/);
});

test("a starved process that still answers in time is judged as on an idle machine", async () => {
  // Starved, but its replies arrive before the first reading of the meter: the reply wins.
  const { run } = isolated(() => honest(square), { meter: meterOf("starved") });
  expect(await run.loadErrors()).toEqual([]);
  expect(await run.call("f", [5], 5000)).toEqual({ kind: "value", value: 25 });
});

test("a child that never answers the ping after loading counts as kept busy by its top-level code", async () => {
  const { run } = isolated(() => twisted((m) => m.type === "ping"), { limits: { pingMs: 50 } });
  expect(await run.call("f", [1], 5000)).toMatchObject({
    kind: "timeout",
    message: expect.stringContaining("keeps the learner's process busy"),
  });
});

test("a child that crashes during a call is reported as crashed, and the next call starts a fresh one", async () => {
  const { run, stats } = isolated((start) =>
    twisted((m, c) => (m.type === "call" && start === 1 ? (c.exit(null, "SIGSEGV"), true) : false)),
  );
  expect(await run.call("f", [2], 5000)).toEqual({
    kind: "crashed",
    message: "the learner process exited (SIGSEGV) — out of memory, or process.exit?",
  });
  expect(await run.call("f", [2], 5000)).toEqual({ kind: "value", value: 4 });
  expect(stats.starts).toBe(2);
});

test("a child whose start fails before any cell is the grader's problem (cell 0)", async () => {
  const { run } = isolated(() =>
    twisted((m, c) =>
      m.type === "load" ? (c.send({ type: "startFailed", message: "Cannot find module './course'" }), true) : false,
    ),
  );
  expect(await run.loadErrors()).toEqual([
    { cell: 0, message: "the learner's process could not load the course helper: Cannot find module './course'" },
  ]);
});

test("frames split across chunks, or several in one chunk, are read whole", async () => {
  const { run } = isolated(() =>
    twisted((m, c) => {
      if (m.type !== "call") return false;
      const a = encodeFrame({ type: "result", id: m.id, outcome: { kind: "value", value: [1, 2, 3] } });
      c.raw(a.subarray(0, 3));
      setTimeout(() => c.raw(a.subarray(3)), 5);
      return true;
    }),
  );
  expect(await run.call("f", [1], 5000)).toEqual({ kind: "value", value: [1, 2, 3] });
});

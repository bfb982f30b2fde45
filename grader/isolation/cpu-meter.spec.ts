// The meter of the learner's time against real processes: computing counts as CPU, sleeping as idle,
// and neither counts the time a busy machine keeps a process waiting (a fake /proc says so exactly).
import { spawn, type ChildProcess } from "child_process";
import type { Clock } from "./budget";
import { procMeter, systemMeter, type ProcFs, type Span, type Usage } from "./cpu-meter";

const started: ChildProcess[] = [];
afterEach(() => {
  for (const p of started.splice(0)) p.kill("SIGKILL");
});
const node = (code: string) => {
  const p = spawn(process.execPath, ["-e", code], { stdio: "ignore" });
  started.push(p);
  return p;
};
/** Reads the span until `enough` says so (a hang guard bounds it, never a measure). */
async function readUntil(span: Span, enough: (u: Usage) => boolean): Promise<Usage> {
  for (;;) {
    const u = span.read();
    if (enough(u)) return u;
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("this machine's meter reads the scheduler's accounting (CI runs on Linux with /proc)", () => {
  expect(systemMeter().kind).toBe("schedstat");
});

test("a process that computes is counted as CPU, not as idle", async () => {
  const busy = node("for (;;) {}");
  const u = await readUntil(systemMeter().span(busy.pid), (u) => u.cpuMs >= 300);
  expect(u.idleMs).toBeLessThan(u.cpuMs / 2);
});

test("a process that sleeps of its own accord is counted as idle, not as CPU", async () => {
  const sleeper = node("Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600000)");
  const u = await readUntil(systemMeter().span(sleeper.pid), (u) => u.idleMs >= 500);
  expect(u.cpuMs).toBeLessThan(u.idleMs);
});

test("time a process spends waiting for a CPU is neither its CPU nor its idling", () => {
  // A fake /proc: a process tree (unshare → node, two threads) that only ever waits in the run queue.
  let now = 0;
  const clock: Clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => undefined };
  const waited = { "10": 0, "11": 0 };
  const fake: ProcFs = {
    list: (dir) => (dir === "/proc/7/task" ? ["7"] : dir === "/proc/8/task" ? ["8", "9"] : []),
    read: (file) => {
      if (file === "/proc/7/task/7/children") return "8 ";
      if (file === "/proc/8/task/8/children") return "";
      if (file === "/proc/7/task/7/schedstat") return "1000000 0 1";
      if (file === "/proc/8/task/8/schedstat") return `5000000 ${waited["10"] * 1e6} 3`;
      if (file === "/proc/8/task/9/schedstat") return `0 ${waited["11"] * 1e6} 0`;
      if (file.startsWith("/proc/self/")) return "0 0 0";
      throw new Error(`ENOENT ${file}`);
    },
  };
  const span = procMeter(clock, fake).span(7);
  now += 60_000;
  waited["10"] += 60_000; // the main thread waited the whole minute
  expect(span.read()).toEqual({ cpuMs: 0, idleMs: 0, wallMs: 60_000 });
  now += 1000; // then it slept a second
  expect(span.read()).toEqual({ cpuMs: 0, idleMs: 1000, wallMs: 61_000 });
});

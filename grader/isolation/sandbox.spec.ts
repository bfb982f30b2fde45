import { spawnSync } from "child_process";
import { sandboxCommand, sandboxReport } from "./sandbox";

const limits = { memoryMb: 1024, cpuSeconds: 20 };
/** Runs `code` in a plain node inside the OS layers only (none of the child-runner's JavaScript lockdown). */
function inSandbox(code: string): string {
  const s = sandboxCommand(["-e", code], limits);
  const r = spawnSync(s.command, s.args, { encoding: "utf8", uid: s.uid, gid: s.gid, timeout: 20000 });
  return `${r.stdout}${r.stderr}`.trim();
}

test("every layer is on here (CI installs what it needs): none is reported missing", () => {
  expect(sandboxCommand([], limits).missing).toEqual([]);
  expect(sandboxReport(limits)).toMatch(
    /no network, own PID namespace \(unshare\); memory ≤ 1024 MB, CPU ≤ 20 s \(prlimit\)/,
  );
  expect(sandboxReport(limits)).toMatch(/limits count the learner's CPU \(\/proc schedstat\)/);
});

test("the learner's process has no network, even with Node's net module in hand", () => {
  expect(
    inSandbox(
      'require("net").connect(80, "1.1.1.1").on("error", (e) => console.log(e.code)).on("connect", () => console.log("connected"))',
    ),
  ).toBe("ENETUNREACH");
});

test("the learner's process cannot name the grader to signal it: its parent is pid 0 and the grader's pid does not exist there", () => {
  const out = inSandbox(
    `try { process.kill(${process.pid}, 0); console.log("reached", process.ppid) } catch (e) { console.log(e.code, process.ppid) }`,
  );
  expect(out).toBe("ESRCH 0");
});

test("typed arrays count against the memory cap, which V8's heap limit alone would not enforce", () => {
  expect(
    inSandbox("try { new Float64Array(2e8); console.log('allocated 1.6 GB') } catch (e) { console.log(e.message) }"),
  ).toBe("Array buffer allocation failed");
});

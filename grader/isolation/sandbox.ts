// The operating-system layer around the learner's process (see docs/security.md). Node's
// permission model limits files, child processes, workers and addons; it cannot stop network
// access or signals to other processes, and its memory cap covers the JS heap only. So, when the
// system allows it, the learner's node runs
//   under `prlimit`  — RLIMIT_DATA (all its memory, typed arrays included) and RLIMIT_CPU;
//   under `unshare`  — new user, network and PID namespaces: no network interface but a dead
//                       loopback, and no way to name (let alone signal) the grader's processes;
//   in its own process group (detached), so `kill(0, …)` reaches only itself;
//   as `nobody` when the grader runs as root.
// Each layer is detected once; what is missing is reported by `sandboxReport()`.
import { spawnSync } from "child_process";
import { systemMeter } from "./cpu-meter";

export interface SandboxLimits {
  memoryMb: number;
  cpuSeconds: number;
}
export interface Sandbox {
  command: string;
  args: string[];
  uid?: number;
  gid?: number;
  layers: string[];
  missing: string[];
}

const NOBODY = 65534;
let detected: { prlimit: boolean; unshare: boolean; asNobody: boolean } | undefined;

const works = (cmd: string, args: string[], opts: object = {}) =>
  spawnSync(cmd, args, { stdio: "ignore", timeout: 5000, ...opts }).status === 0;
const UNSHARE = ["--user", "--map-root-user", "--net", "--pid", "--fork", "--kill-child"];

function detect() {
  if (detected) return detected;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  // As nobody the learner cannot signal the grader even where namespaces are refused; but nobody
  // must be able to read node itself and the course's files (a home directory may not allow it).
  const asNobody =
    root &&
    works(process.execPath, ["-e", `require("fs").accessSync(${JSON.stringify(__dirname)})`], {
      uid: NOBODY,
      gid: NOBODY,
    });
  const ids = asNobody ? { uid: NOBODY, gid: NOBODY } : {};
  detected = {
    prlimit: works("prlimit", ["--data=1073741824", "--", "true"], ids),
    unshare: works("unshare", [...UNSHARE, "--", "true"], ids),
    asNobody,
  };
  return detected;
}

/** The command that runs `node <nodeArgs>` inside every layer this system offers. */
export function sandboxCommand(nodeArgs: string[], limits: SandboxLimits): Sandbox {
  const d = detect();
  let cmd = [process.execPath, ...nodeArgs];
  const layers: string[] = ["Node permission model", "own process group"],
    missing: string[] = [];
  if (d.unshare) {
    cmd = ["unshare", ...UNSHARE, "--", ...cmd];
    layers.push("no network, own PID namespace (unshare)");
  } else
    missing.push(
      "unshare (user, network and PID namespaces): the learner's code could reach the network and signal other processes of its user",
    );
  if (d.prlimit) {
    cmd = ["prlimit", `--data=${limits.memoryMb * 1024 * 1024}`, `--cpu=${limits.cpuSeconds}`, "--", ...cmd];
    layers.push(`memory ≤ ${limits.memoryMb} MB, CPU ≤ ${limits.cpuSeconds} s (prlimit)`);
  } else missing.push("prlimit: only the JS heap is capped, not typed arrays; no CPU-time cap");
  if (d.asNobody) layers.push("as nobody");
  return { command: cmd[0], args: cmd.slice(1), ...(d.asNobody ? { uid: NOBODY, gid: NOBODY } : {}), layers, missing };
}

/** One line for logs and `course grade --verbose`: which layers are on, and how the learner's time is counted. */
export function sandboxReport(limits: SandboxLimits): string {
  const s = sandboxCommand([], limits);
  const missing = [...s.missing];
  const layers = [...s.layers];
  if (systemMeter().kind === "schedstat") layers.push("limits count the learner's CPU (/proc schedstat)");
  else
    missing.push(
      "/proc schedstat: the limits count the clock, so a busy machine can turn an honest notebook's grading into a timeout",
    );
  return `sandbox: ${layers.join("; ")}${missing.length ? `. Not available: ${missing.join("; ")}` : ""}`;
}

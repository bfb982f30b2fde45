// `npm run bench` (part 2c): Restart & Run All in the course's kernel, as a learner does it, per section:
// the solution-filled notebook's cells sent one by one to a new kernel started through Debian's
// jupyter_client (bench/kernel_bench.py), the kernel's conversions
//   compiled — the cache turned off (COURSE_CACHE_DIR=off): every cell through the TypeScript compiler,
//   cached   — the cache as `npm run setup` leaves it (notebooks/kernel/cached-converter.js): no compiler.
// The first cell's reply (what a learner waits for after a restart), the whole run's wall seconds, and
// the whole machine's CPU seconds. Section 05 is left out: its training, the same in both, is the
// kernel row of bench/mnist.ts.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildNotebook } from "../grader/authoring";
import { listSections, loadExerciseSet } from "../grader/sections";
import { KERNEL_NAME, writeKernelSpec } from "../notebooks/kernel/install.js";
import { busyCpuSeconds } from "./cpu";
import { asSetupLeavesIt } from "./setup-cache";

const root = path.join(__dirname, "..");

/** The solution-filled notebook's code cells, without the submit cell (it would only say it ran with others). */
function cells(section: string): string[] {
  const nb = buildNotebook(loadExerciseSet(section), true) as { cells: { cell_type: string; source: string[] }[] };
  return nb.cells
    .filter((c) => c.cell_type === "code")
    .map((c) => c.source.join(""))
    .filter((s) => !/\bsubmit\(/.test(s));
}

function runAll(jupyterPath: string, section: string, env: NodeJS.ProcessEnv) {
  const input = JSON.stringify({
    kernel: KERNEL_NAME,
    jupyter_path: jupyterPath,
    cwd: path.join(root, "notebooks"),
    cells: cells(section),
    timeout: 900,
  });
  const c0 = busyCpuSeconds();
  const r = spawnSync("/usr/bin/python3", [path.join(__dirname, "kernel_bench.py")], { input, env, encoding: "utf8" });
  const cpu = busyCpuSeconds() - c0;
  if (r.status !== 0) throw new Error(`the kernel run of ${section} failed: ${r.stderr.trim().split("\n").pop()}`);
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as { seconds: number[]; errors: string[] };
  if (out.errors.length) throw new Error(`${section} raised in the kernel: ${out.errors[0]}`);
  return { first: out.seconds[0], wall: out.seconds.reduce((a, b) => a + b, 0), cpu };
}

const fmt = (r: { first: number; wall: number; cpu: number }) =>
  `${r.first.toFixed(2).padStart(5)} s ${r.wall.toFixed(1).padStart(5)} s ${r.cpu.toFixed(1).padStart(5)} CPU-s`;

(() => {
  if (!fs.existsSync("/usr/bin/jupyter")) {
    console.log("Restart & Run All in the kernel: skipped, no Jupyter (npm run setup installs Debian's)\n");
    return;
  }
  asSetupLeavesIt();
  const jupyterPath = fs.mkdtempSync(path.join(os.tmpdir(), "bench-run-all-"));
  writeKernelSpec(jupyterPath);
  console.log(
    "Restart & Run All of the solution-filled notebook in the course's kernel (first cell, all cells, machine CPU)",
  );
  console.log(
    `${"section".padEnd(20)}  ${"compiled (cache off)".padEnd(27)}  cached (as setup leaves it)     CPU ratio`,
  );
  try {
    for (const s of listSections().filter((s) => !s.startsWith("05"))) {
      const compiled = runAll(jupyterPath, s, { ...process.env, COURSE_CACHE_DIR: "off" });
      const cached = runAll(jupyterPath, s, process.env);
      console.log(`${s.padEnd(20)}  ${fmt(compiled)}  ${fmt(cached)}  ${(cached.cpu / compiled.cpu).toFixed(2)}×`);
    }
  } finally {
    fs.rmSync(jupyterPath, { recursive: true, force: true });
  }
  console.log();
})();

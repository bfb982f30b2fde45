// The real-kernel row of `npm run bench`: the filled MNIST notebook's definitions run in a tslab kernel
// started through Debian's jupyter_client (bench/kernel_bench.py), then the same timed training as the
// other rows, measured by the kernel's own clock. A kernelspec is written to a temp folder for it.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadExerciseSet } from "../grader/sections";
import { buildNotebook } from "../grader/authoring";

const root = path.join(__dirname, "..");

/** The code cells of the solution-filled 05 notebook up to multiLayerNetwork's definition, without checks or plots. */
function definitionCells(): string[] {
  const nb = buildNotebook(loadExerciseSet("05-mnist"), true) as { cells: { cell_type: string; source: string[] }[] };
  const code = nb.cells.filter((c) => c.cell_type === "code").map((c) => c.source.join(""));
  const last = code.findIndex((s) => s.startsWith("function multiLayerNetwork("));
  return code.slice(0, last + 1).filter((s) => !/^check\(|plotDigits\(/.test(s));
}

/** Mean ms per iteration of `iterations` timed iterations after 2 warm-up, inside a kernel started by `argv`, or why not. */
export function kernelRow(
  iterations: number,
  argv: string[] = [path.join(root, "node_modules", ".bin", "tslab"), "kernel", "--config-path", "{connection_file}"],
): { ms: number; detail: string } | { skip: string } {
  const python = "/usr/bin/python3";
  if (!fs.existsSync("/usr/bin/jupyter")) return { skip: "no Jupyter (npm run setup installs Debian's)" };
  const jupyterPath = fs.mkdtempSync(path.join(os.tmpdir(), "bench-kernel-"));
  fs.mkdirSync(path.join(jupyterPath, "kernels", "bench"), { recursive: true });
  fs.writeFileSync(
    path.join(jupyterPath, "kernels", "bench", "kernel.json"),
    JSON.stringify({ argv, display_name: "bench", language: "typescript" }),
  );
  const timing = `const stamps: number[] = [];
multiLayerNetwork(data.trainX, data.trainY, [784, 200, 10], { numIterations: ${iterations + 2}, learningRate: 0.1, log: () => stamps.push(performance.now()) });
console.log(JSON.stringify({ ms: (stamps[stamps.length - 1] - stamps[1]) / ${iterations}, backend: nd.backend().detail }));`;
  const input = JSON.stringify({
    kernel: "bench",
    jupyter_path: jupyterPath,
    cwd: path.join(root, "notebooks"),
    cells: [...definitionCells(), timing],
    timeout: 900,
  });
  const r = spawnSync(python, [path.join(__dirname, "kernel_bench.py")], { input, encoding: "utf8" });
  fs.rmSync(jupyterPath, { recursive: true, force: true });
  if (r.status !== 0) return { skip: `the kernel run failed: ${r.stderr.trim().split("\n").pop()}` };
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
  if (out.errors.length) return { skip: `the kernel run raised: ${out.errors[0]}` };
  const j = JSON.parse(out.stdout.trim().split("\n").pop());
  return { ms: j.ms, detail: j.backend };
}

if (require.main === module) {
  const r = kernelRow(
    Number(process.env.BENCH_ITERATIONS ?? 20),
    process.argv.length > 2 ? process.argv.slice(2) : undefined,
  );
  console.log(JSON.stringify(r));
}

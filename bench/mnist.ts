// `npm run bench` (part 1): the course's MNIST training, 784-200-10 on 2,000 digits, ours and
// NumPy's side by side in one run, as ms per iteration and ratios to the fastest NumPy measured.
// Rows: our native-BLAS backend; the same in a process whose heap is as big as tslab's kernel
// (the TypeScript compiler it holds makes V8's collections slower); our TypeScript fallback; and
// NumPy under every python3 found (Debian's, then the first on PATH), each with its BLAS.
import { spawnSync } from "child_process";
import * as path from "path";
import { backend, setBackend, type Backend } from "../notebooks/course/matmul";
import { mnistSubsets } from "../notebooks/course/mnist";
import { multiLayerNetwork } from "../solutions/05-mnist";

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20);
const data = mnistSubsets();

/**
 * Mean ms per iteration of our training after two warm-up iterations — the mean, not the median:
 * garbage collections come as spikes every few iterations, and a learner waits for all of them.
 */
function ours(name: Backend, iterations: number): { ms: number; first: number; last: number } {
  setBackend(name);
  const stamps: number[] = [];
  const { costs } = multiLayerNetwork(data.trainX, data.trainY, [784, 200, 10], { numIterations: iterations + 2, learningRate: 0.1, log: () => stamps.push(performance.now()) });
  return { ms: (stamps[stamps.length - 1] - stamps[1]) / iterations, first: costs[0], last: costs[costs.length - 1] };
}

/** NumPy's run of the same algorithm on the same data (bench/mnist_numpy.py), or why it could not run. */
function numpy(python: string): { ms: number; label: string; first: number } | { skip: string } {
  const r = spawnSync(python, [path.join(__dirname, "mnist_numpy.py"), path.join(__dirname, "..", "data", "mnist"), String(ITERATIONS)], { encoding: "utf8" });
  if (r.error) return { skip: `${python}: ${r.error.message}` };
  if (r.status !== 0) return { skip: `${python}: ${/ModuleNotFoundError: No module named 'numpy'/.test(r.stderr) ? "no numpy" : r.stderr.trim().split("\n").pop()}` };
  const j = JSON.parse(r.stdout.trim().split("\n").pop()!);
  return { ms: j.ms, label: `NumPy ${j.numpy} (${j.blas}), ${j.python}`, first: j.firstCost };
}

const rows: { label: string; ms: number }[] = [];
const skips: string[] = [];
const pythons = [...new Set(["/usr/bin/python3", "python3"])];
const nps = pythons.map(numpy);
for (const n of nps) if ("skip" in n) skips.push(`NumPy skipped — ${n.skip}`); else rows.push({ label: n.label, ms: n.ms });

let native: ReturnType<typeof ours> | undefined;
try {
  native = ours("native", ITERATIONS);
  rows.push({ label: `ours, ${backend().detail}`, ms: native.ms });
  // A heap the size of the Jupyter kernel's (tslab's TypeScript compiler: ~130-150 MB of live objects).
  const ballast = Array.from({ length: 1_200_000 }, (_, i) => ({ i, s: `x${i}`, a: [i] }));
  rows.push({ label: "ours, native BLAS, in a kernel-sized heap (150 MB live, as tslab's)", ms: ours("native", ITERATIONS).ms });
  void ballast.length;
} catch (e) {
  skips.push(`native backend skipped — ${(e as Error).message}`);
}
const js = ours("js", 3);
rows.push({ label: "ours, TypeScript kernel (the fallback), 3 iterations", ms: js.ms });

const fastest = Math.min(...nps.flatMap((n) => ("ms" in n ? [n.ms] : [])));
console.log(`MNIST 784-200-10, 2,000 samples, mean of ${ITERATIONS} iterations after 2 warm-up (same data, same algorithm)`);
console.log(`${"".padEnd(72)}  ms/iter  × fastest NumPy`);
for (const r of rows) console.log(`${r.label.slice(0, 72).padEnd(72)}  ${r.ms.toFixed(1).padStart(7)}  ${Number.isFinite(fastest) ? (r.ms / fastest).toFixed(2).padStart(6) + "×" : "   n/a"}`);
for (const s of skips) console.log(s);
const numpyFirst = nps.find((n): n is { ms: number; label: string; first: number } => "first" in n)?.first;
if (native && numpyFirst !== undefined) console.log(`first cost: ours ${native.first}, NumPy ${numpyFirst} (the same computation)`);
console.log(`500 iterations: about ${native ? ((native.ms * 500) / 1000).toFixed(0) : "?"} s here (the course's run), NumPy ${Number.isFinite(fastest) ? ((fastest * 500) / 1000).toFixed(0) : "?"} s`);

// `npm run bench` (part 1): the course's MNIST training, 784-200-10 on 2,000 digits, ours and
// NumPy's side by side in one run, as ms per iteration and ratios to the fastest NumPy measured.
// Rows: NumPy under every python3 found (Debian's, then the first on PATH), each with its BLAS; ours
// in a plain process (native BLAS); ours in real Jupyter kernels started by jupyter_client — the
// course's (nn-typescript: tslab's compiler in a worker thread, its V8 flags) and plain tslab (its
// compiler in the notebook's heap); and our TypeScript fallback.
import { spawnSync } from "child_process";
import * as path from "path";
import { backend, setBackend, type Backend } from "../notebooks/course/matmul";
import { mnistSubsets } from "../notebooks/course/mnist";
import { multiLayerNetwork } from "../solutions/05-mnist";
import { kernelSpec } from "../notebooks/kernel/install.js";

/**
 * NOTE: 100 iterations, the fifth of the course's 500-iteration run that a learner waits for. In a
 * kernel the first ~15 iterations run at about 1.5× the later ones (V8 optimising the fresh cells,
 * and the compiler thread collecting what it allocated for the cell that was just compiled, on the
 * same two cores as BLAS); 20 iterations weighed that start as a third of the run.
 */
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100);
const data = mnistSubsets();

/**
 * Mean ms per iteration of our training after two warm-up iterations — the mean, not the median:
 * garbage collections come as spikes every few iterations, and a learner waits for all of them.
 */
function ours(name: Backend, iterations: number): { ms: number; first: number; last: number } {
  setBackend(name);
  const stamps: number[] = [];
  const { costs } = multiLayerNetwork(data.trainX, data.trainY, [784, 200, 10], {
    numIterations: iterations + 2,
    learningRate: 0.1,
    log: () => stamps.push(performance.now()),
  });
  return { ms: (stamps[stamps.length - 1] - stamps[1]) / iterations, first: costs[0], last: costs[costs.length - 1] };
}

/** NumPy's run of the same algorithm on the same data (bench/mnist_numpy.py), or why it could not run. */
function numpy(python: string): { ms: number; label: string; first: number } | { skip: string } {
  const r = spawnSync(
    python,
    [path.join(__dirname, "mnist_numpy.py"), path.join(__dirname, "..", "data", "mnist"), String(ITERATIONS)],
    { encoding: "utf8" },
  );
  if (r.error) return { skip: `${python}: ${r.error.message}` };
  if (r.status !== 0)
    return {
      skip: `${python}: ${/ModuleNotFoundError: No module named 'numpy'/.test(r.stderr) ? "no numpy" : r.stderr.trim().split("\n").pop()}`,
    };
  const j = JSON.parse(r.stdout.trim().split("\n").pop()!);
  return { ms: j.ms, label: `NumPy ${j.numpy} (${j.blas}), ${j.python}`, first: j.firstCost };
}

const rows: { label: string; ms: number }[] = [];
const skips: string[] = [];
const pythons = [...new Set(["/usr/bin/python3", "python3"])];
const nps = pythons.map(numpy);
for (const n of nps)
  if ("skip" in n) skips.push(`NumPy skipped — ${n.skip}`);
  else rows.push({ label: n.label, ms: n.ms });

let native: ReturnType<typeof ours> | undefined;
try {
  native = ours("native", ITERATIONS);
  rows.push({ label: `ours in a process, ${backend().detail}`, ms: native.ms });
  // NOTE: loaded only now: it builds the notebook's cells with the TypeScript compiler, whose heap
  // would slow this process's own garbage collections, as tslab's compiler slows a kernel's.
  const { kernelRow } = require("./kernel") as typeof import("./kernel");
  for (const [label, argv] of [
    ["ours in the course's Jupyter kernel (nn-typescript)", kernelSpec().argv],
    ["ours in plain tslab's Jupyter kernel", undefined],
  ] as const) {
    const k = kernelRow(ITERATIONS, argv ? [...argv] : undefined);
    if ("ms" in k) rows.push({ label, ms: k.ms });
    else skips.push(`${label} skipped — ${k.skip}`);
  }
} catch (e) {
  skips.push(`native backend skipped — ${(e as Error).message}`);
}
const js = ours("js", 3);
rows.push({ label: "ours, TypeScript kernel (the fallback), 3 iterations", ms: js.ms });

const fastest = Math.min(...nps.flatMap((n) => ("ms" in n ? [n.ms] : [])));
console.log(
  `MNIST 784-200-10, 2,000 samples, mean of ${ITERATIONS} iterations after 2 warm-up (same data, same algorithm)`,
);
console.log(`${"".padEnd(72)}  ms/iter  × fastest NumPy`);
for (const r of rows)
  console.log(
    `${r.label.slice(0, 72).padEnd(72)}  ${r.ms.toFixed(1).padStart(7)}  ${Number.isFinite(fastest) ? (r.ms / fastest).toFixed(2).padStart(6) + "×" : "   n/a"}`,
  );
for (const s of skips) console.log(s);
const numpyFirst = nps.find((n): n is { ms: number; label: string; first: number } => "first" in n)?.first;
if (native && numpyFirst !== undefined)
  console.log(`first cost: ours ${native.first}, NumPy ${numpyFirst} (the same computation)`);
console.log(
  `500 iterations: about ${native ? ((native.ms * 500) / 1000).toFixed(0) : "?"} s here (the course's run), NumPy ${Number.isFinite(fastest) ? ((fastest * 500) / 1000).toFixed(0) : "?"} s`,
);

// The learner's helper: public checks, plots and the Tensor helpers. Imported by the notebooks
// as "./course"; the grader replaces it with no-ops when it runs a submission.
import { compareValues, type Plain } from "./course/compare";
import { invokePart, NotDefined, type Callable } from "./course/invoke";
import { isPlain, toPlain } from "./course/values";
export { map, type Tensor } from "./course/tensor";
export { plot, plotFunctions } from "./course/plot";
export { plotCostSurface } from "./course/contour";
export { RandomState } from "./course/random";
export { loadAdmissions, pick, type AdmissionRow, type Dataset, type Split } from "./course/admissions";
export { dot, mean, sigmoid, vecMat } from "./course/nn";
export { format12, printLosses } from "./course/format";
export { demo } from "./course/demo";
export * as nd from "./course/nd";
export { NDArray } from "./course/ndarray";
export { mnistSubsets, type MnistSubsets } from "./course/mnist";
export { plotCosts, plotConfusion, plotDigits } from "./course/mnist-plots";
export { loadEx4Weights } from "./course/ex4";
export { progress, type Progress } from "./course/progress";
export { fmincg, type CostFunction, type FmincgResult } from "./course/optimize";
export type { Activation, ActivationCache, Grads, LayerCache, LinearCache, NnCost, Params, TrainOptions } from "./course/network-types";

declare const require: (id: string) => any;
declare const __dirname: string;

interface PublicCase { label: string; args: unknown[]; expected: Plain }
interface PublicPart {
  name: string; tolerance: { rtol: number; atol: number }; hint: string; cases: PublicCase[];
  method?: Callable["method"]; answer?: { type: "number" | "choices"; letters?: string[] };
}

/** Returns `check(name)`, which runs the public cases of one part on what you defined. */
export function checker(section: string): (name: string) => void {
  const parts: PublicPart[] = JSON.parse(require("fs").readFileSync(`${__dirname}/checks/${section}.json`, "utf8")).parts;
  return (name: string) => {
    const part = parts.find((p) => p.name === name);
    if (!part) throw new Error(`check: no part named "${name}" in ${section}; parts: ${parts.map((p) => p.name).join(", ")}`);
    const defs = (globalThis as any).__tslab__?.exports ?? {};
    if (part.answer) return checkAnswerForm(name, defs[name], part);
    const problems: string[] = [];
    for (const c of part.cases) {
      let got: unknown;
      try { got = toPlain(invokePart(defs, part, c.args)); } catch (e) {
        if (e instanceof NotDefined) return report(name, [e.message], part);
        problems.push(`${c.label}: threw ${(e as Error).message}`); continue;
      }
      if (!isPlain(got)) { problems.push(`${c.label}: returned ${typeof got}, expected numbers`); continue; }
      const r = compareValues(got, c.expected, part.tolerance);
      if (!r.ok) problems.push(`${c.label}: ${r.message}; expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(got)}`);
    }
    report(name, problems, part);
  };
}

/** An answer is only checked for its form here; its value is graded when you submit. */
function checkAnswerForm(name: string, v: unknown, part: PublicPart): void {
  const a = part.answer!;
  let problem: string | undefined;
  if (v === undefined) problem = `\`${name}\` not found — run its cell`;
  else if (v === null) problem = "not answered yet: replace null with your answer";
  else if (a.type === "number" && (typeof v !== "number" || !Number.isFinite(v))) problem = `expected a number, got ${JSON.stringify(v)}`;
  else if (a.type === "choices") {
    const bad = Array.isArray(v) ? v.filter((x) => !a.letters!.includes(x)) : [v];
    if (bad.length) problem = `expected a list of letters from ${a.letters!.join(", ")}, got ${JSON.stringify(v)}`;
  }
  if (problem) { console.log(`✗ ${name}: ${problem}`); return; }
  console.log(`✓ ${name}: answered (its value is graded when you submit)`);
}

function report(name: string, problems: string[], part: PublicPart): void {
  if (problems.length === 0) { console.log(`✓ ${name}: ${part.cases.length}/${part.cases.length} public checks pass`); return; }
  console.log(`✗ ${name}: ${Math.max(0, part.cases.length - problems.length)}/${part.cases.length} public checks pass`);
  for (const p of problems) console.log(`  - ${p}`);
  console.log(`  hint: ${part.hint}`);
}

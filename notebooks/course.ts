// The learner's helper: public checks, plots and the Tensor helpers. Imported by the notebooks
// as "./course"; the grader replaces it with no-ops when it runs a submission.
import { courseDir, load, type NodeFs } from "./course/node";
import { checksFileName } from "./course/shared/checks-file";
import { compareValues, type Plain } from "./course/shared/compare";
import { invokePart, NotDefined, type Callable } from "./course/shared/invoke";
import { isPlain, toPlain } from "./course/shared/values";
import { rememberSection } from "./course/submit";
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
export { grading, type GradingManifest } from "./course/shared/grading";
export { submit, type SubmitOptions } from "./course/submit";
export type {
  Activation,
  ActivationCache,
  Grads,
  LayerCache,
  LinearCache,
  NnCost,
  Params,
  TrainOptions,
} from "./course/network-types";

interface PublicCase {
  label: string;
  args: unknown[];
  expected: Plain;
}
export interface PublicPart {
  name: string;
  tolerance: { rtol: number; atol: number };
  hint: string;
  cases: PublicCase[];
  method?: Callable["method"];
  answer?: { type: "number" | "choices"; letters?: string[] };
}

/** One public case's verdict: passed, or what is wrong with it. A missing definition stops the part.
 * (One interface, not a union: tslab compiles this file without strictNullChecks, where unions do not narrow.) */
export interface PublicVerdict {
  label: string;
  ok: boolean;
  problem?: string;
}

/** The public cases of `part` run on `defs` (the learner's cells): what `check(name)` reports, case by case. */
export function publicVerdicts(part: PublicPart, defs: Record<string, unknown>): PublicVerdict[] | NotDefined {
  const verdicts: PublicVerdict[] = [];
  for (const c of part.cases) {
    let got: unknown;
    try {
      got = toPlain(invokePart(defs, part, c.args));
    } catch (e) {
      if (e instanceof NotDefined) return e;
      verdicts.push({ label: c.label, ok: false, problem: `threw ${(e as Error).message}` });
      continue;
    }
    if (!isPlain(got)) {
      verdicts.push({ label: c.label, ok: false, problem: `returned ${typeof got}, expected numbers` });
      continue;
    }
    const r = compareValues(got, c.expected, part.tolerance);
    verdicts.push(
      r.ok
        ? { label: c.label, ok: true }
        : {
            label: c.label,
            ok: false,
            problem: `${r.message}; expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(got)}`,
          },
    );
  }
  return verdicts;
}

/** The parts of a section's public checks (notebooks/checks/<section>.json; <section>.<variant>.json for your own numbers). */
export function publicParts(section: string, variant?: string): PublicPart[] {
  const name = checksFileName(section, variant);
  const fs = load<NodeFs>("fs");
  const file = `${courseDir}/../checks/${name}`;
  if (variant && !fs.existsSync(file))
    throw new Error(
      `checker: this notebook has your own numbers (variant ${variant}), and its public checks, notebooks/checks/${name}, are not here — download them with the notebook from your page on the course's grading service, or ask your instructor`,
    );
  return JSON.parse(fs.readFileSync(file, "utf8")).parts;
}

/** Returns `check(name)`, which runs the public cases of one part on what you defined (of your variant, when the notebook is your own). */
export function checker(section: string, variant?: string): (name: string) => void {
  const parts = publicParts(section, variant);
  rememberSection(section);
  return (name: string) => {
    const part = parts.find((p) => p.name === name);
    if (!part)
      throw new Error(`check: no part named "${name}" in ${section}; parts: ${parts.map((p) => p.name).join(", ")}`);
    const defs = (globalThis as { __tslab__?: { exports: Record<string, unknown> } }).__tslab__?.exports ?? {};
    if (part.answer) return checkAnswerForm(name, defs[name], part);
    const verdicts = publicVerdicts(part, defs);
    if (verdicts instanceof NotDefined) return report(name, [verdicts.message], part);
    report(
      name,
      verdicts.flatMap((v) => (v.ok ? [] : [`${v.label}: ${v.problem}`])),
      part,
    );
  };
}

/** An answer is only checked for its form here; its value is graded when you submit. */
function checkAnswerForm(name: string, v: unknown, part: PublicPart): void {
  const a = part.answer!;
  let problem: string | undefined;
  if (v === undefined) problem = `\`${name}\` not found — run its cell`;
  else if (v === null) problem = "not answered yet: replace null with your answer";
  else if (a.type === "number" && (typeof v !== "number" || !Number.isFinite(v)))
    problem = `expected a number, got ${JSON.stringify(v)}`;
  else if (a.type === "choices") {
    const bad = Array.isArray(v) ? v.filter((x) => !a.letters!.includes(x)) : [v];
    if (bad.length) problem = `expected a list of letters from ${a.letters!.join(", ")}, got ${JSON.stringify(v)}`;
  }
  if (problem) {
    console.log(`✗ ${name}: ${problem}`);
    return;
  }
  console.log(`✓ ${name}: answered (its value is graded when you submit)`);
}

function report(name: string, problems: string[], part: PublicPart): void {
  if (problems.length === 0) {
    console.log(`✓ ${name}: ${part.cases.length}/${part.cases.length} public checks pass`);
    return;
  }
  console.log(`✗ ${name}: ${Math.max(0, part.cases.length - problems.length)}/${part.cases.length} public checks pass`);
  for (const p of problems) console.log(`  - ${p}`);
  console.log(`  hint: ${part.hint}`);
}

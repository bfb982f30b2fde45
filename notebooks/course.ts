// The learner's helper: public checks, plots and the Tensor helpers. Imported by the notebooks
// as "./course"; the grader replaces it with no-ops when it runs a submission.
import { compareValues, type Plain } from "./course/compare";
import { isPlain, toArg, toPlain } from "./course/values";
export { map, type Tensor } from "./course/tensor";
export { plot, plotFunctions } from "./course/plot";
export { RandomState } from "./course/random";
export { loadAdmissions, pick, type AdmissionRow, type Dataset, type Split } from "./course/admissions";
export { dot, mean, sigmoid, vecMat } from "./course/nn";
export { format12, printLosses } from "./course/format";
export { demo } from "./course/demo";

declare const require: (id: string) => any;
declare const __dirname: string;

interface PublicCase { label: string; args: unknown[]; expected: Plain }
interface PublicPart { name: string; tolerance: { rtol: number; atol: number }; hint: string; cases: PublicCase[] }


/** Returns `check(name)`, which runs the public cases of one part on the function you defined. */
export function checker(section: string): (name: string) => void {
  const parts: PublicPart[] = JSON.parse(require("fs").readFileSync(`${__dirname}/checks/${section}.json`, "utf8")).parts;
  return (name: string) => {
    const part = parts.find((p) => p.name === name);
    if (!part) throw new Error(`check: no part named "${name}" in ${section}; parts: ${parts.map((p) => p.name).join(", ")}`);
    const fn = (globalThis as any).__tslab__?.exports?.[name];
    if (typeof fn !== "function") return report(name, [`function \`${name}\` not found — run the cell that defines it`], part);
    const problems: string[] = [];
    for (const c of part.cases) {
      let got: unknown;
      try { got = toPlain(fn(...c.args.map(toArg))); } catch (e) { problems.push(`${c.label}: threw ${(e as Error).message}`); continue; }
      if (!isPlain(got)) { problems.push(`${c.label}: returned ${typeof got}, expected numbers`); continue; }
      const r = compareValues(got, c.expected, part.tolerance);
      if (!r.ok) problems.push(`${c.label}: ${r.message}; expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(got)}`);
    }
    report(name, problems, part);
  };
}

function report(name: string, problems: string[], part: PublicPart): void {
  if (problems.length === 0) { console.log(`✓ ${name}: ${part.cases.length}/${part.cases.length} public checks pass`); return; }
  console.log(`✗ ${name}: ${part.cases.length - problems.length}/${part.cases.length} public checks pass`);
  for (const p of problems) console.log(`  - ${p}`);
  console.log(`  hint: ${part.hint}`);
}

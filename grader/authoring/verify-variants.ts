// `course verify` of a section whose numbers vary per learner: for a sample of learners (drawn with a
// fixed sample secret, so every run checks the same variants), each variant's solution-filled
// notebook scores 100 % and its stub 0, and no two variants share an answer — a notebook copied
// from any of them fails the other's varied parts.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gradeNotebook } from "../pipeline";
import { expectedAnswer, learnerVariant, variantSet, type ExerciseSet, type Variant } from "../sections";
import type { Definitions } from "../../notebooks/course/shared";
import { buildNotebook, notebookJson } from "./notebook-build";

/** How many learners' variants `course verify` grades. */
export const VARIANT_SAMPLES = 50;
/** The sample's secret and learners: fixed, so that verify is reproducible (never a course's own secret). */
const SAMPLE_SECRET = "course verify: the sample of variants";
export const sampleLearner = (i: number) => `sample-${i + 1}@verify.invalid`;

export interface VariantSample {
  learner: string;
  variant: Variant;
  set: ExerciseSet;
}

export function sampleVariants(full: ExerciseSet, n = VARIANT_SAMPLES): VariantSample[] {
  return Array.from({ length: n }, (_, i) => {
    const learner = sampleLearner(i);
    const variant = learnerVariant(full, { id: learner, secret: SAMPLE_SECRET })!;
    return { learner, variant, set: variantSet(full, variant.params) };
  });
}

/** Problems with the sampled variants (empty: each one scores 100 filled and 0 as a stub; answers all differ). */
export async function verifyVariants(
  full: ExerciseSet,
  solution: Definitions,
  o: { samples?: number; grading?: boolean; log?: (line: string) => void } = {},
): Promise<string[]> {
  if (!full.variants) return [];
  const samples = sampleVariants(full, o.samples);
  const problems = sharedAnswers(samples, solution);
  if (o.grading === false) return problems;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-variants-"));
  // Two notebooks at a time (the type-check thread of one overlaps the learner process of the other).
  const jobs = samples.flatMap((s, i) => [true, false].map((fill) => ({ s, i, fill })));
  const gradeOne = async ({ s, i, fill }: (typeof jobs)[number]) => {
    if (fill) o.log?.(`${full.section}: variant ${i + 1} of ${samples.length} (${s.variant.code})`);
    const file = path.join(dir, `${i}-${fill ? "solution" : "stub"}`, `${full.section}.ipynb`);
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, notebookJson(buildNotebook(s.set, fill, s.variant)));
    const r = await gradeNotebook(file, { section: full.section, learner: { id: s.learner, secret: SAMPLE_SECRET } });
    const wanted = fill ? r.maxScore : 0;
    if (r.score !== wanted || r.variant !== s.variant.code)
      problems.push(
        `variant ${s.variant.code} (${full.variants!.describe(s.variant.params)}): the ${fill ? "solution" : "stub"} scores ${r.score}/${r.maxScore}, not ${wanted}: ${r.parts
          .filter((p) => (fill ? p.status !== "passed" : p.points > 0))
          .map((p) => `${p.name} (${p.feedback[0] ?? p.status})`)
          .join("; ")}`,
      );
  };
  try {
    const lanes = Array.from({ length: 2 }, async () => {
      for (let job = jobs.shift(); job; job = jobs.shift()) await gradeOne(job);
    });
    await Promise.all(lanes);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}

/**
 * No two sampled variants share an answer of a varied number part (their accepted ranges, ±atol,
 * do not meet), nor their whole key of answers (a choice alone has few possible keys).
 */
export function sharedAnswers(samples: VariantSample[], solution: Definitions): string[] {
  const keys = samples.map((s) =>
    s.set.parts.filter((p) => p.answer?.expected).map((p) => ({ part: p, value: expectedAnswer(solution, p) })),
  );
  const problems: string[] = [];
  for (let i = 0; i < samples.length; i++)
    for (let j = i + 1; j < samples.length; j++) {
      const pair = `variants ${samples[i].variant.code} and ${samples[j].variant.code}`;
      keys[i].forEach((a, k) => {
        const b = keys[j][k];
        if (
          a.part.answer?.type === "number" &&
          Math.abs((a.value as number) - (b.value as number)) <= 2 * a.part.answer.atol
        )
          problems.push(`${pair}: ${a.part.name} accepts one number for both (${a.value} and ${b.value})`);
      });
      if (keys[i].length && JSON.stringify(keys[i].map((a) => a.value)) === JSON.stringify(keys[j].map((b) => b.value)))
        problems.push(`${pair}: the same answers to every varied part`);
    }
  return problems;
}

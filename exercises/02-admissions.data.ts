// Inputs for section 02's cases that come from the course's data and seeded draws. Computed in
// the grader process when the exercise set loads; only inputs, never expected values.
import { loadAdmissions, pick, type AdmissionRow } from "../notebooks/course/admissions";
import { RandomState } from "../notebooks/course/random";
import { prepareAdmissions, splitTrainTest } from "../solutions/02-admissions";

export const admissionRows = (): AdmissionRow[] => loadAdmissions();

/** The course's training records: all 400 rows prepared, then the seeded 90 % split. */
export function courseTrainingSet(seed: number): { features: number[][]; targets: number[] } {
  const rows = loadAdmissions();
  const { features, targets } = prepareAdmissions(rows);
  const { train } = splitTrainTest(rows.length, 0.9, seed);
  return { features: pick(features, train), targets: pick(targets, train) };
}

/** The course's 4×3×2 example: seed 42, x = randn(4), weights ~ normal(0, 0.1). */
export function courseForwardPassArgs(): [number[], number[][], number[][]] {
  const rng = new RandomState(42);
  return [rng.randn(4), rng.normal(0, 0.1, [4, 3]), rng.normal(0, 0.1, [3, 2])];
}

/** A small random problem: `m` records of `n` features in [−1, 1), 0/1 targets. */
export function smallProblem(seed: number, m: number, n: number): { features: number[][]; targets: number[] } {
  const rng = new RandomState(seed);
  const features = Array.from({ length: m }, () => rng.rand(n).map((v) => 2 * v - 1));
  return { features, targets: rng.randint(0, 2, m) };
}

// Per-learner variants: an exercise set may draw some of its numbers per learner (exercise-set.ts,
// `variants`). A learner's draw comes from a seed that only the course's secret makes:
//   seed = HMAC-SHA-256(secret, learner ‖ section)
// so it is stable (regrading draws the same numbers), unguessable without the secret, and never read
// from the notebook, which the learner can edit. Each number is HMAC-SHA-256(seed, "<attempt> <name>
// <k>") read as a fraction in [0, 1): no generator state, so adding a parameter changes no other.
import { createHmac } from "crypto";
import type { ExerciseSet } from "./exercise-set";
import { normalEmail } from "./roster";

/** How one parameter is drawn. */
export type Draw =
  /** Uniform in [lo, hi], rounded to `decimals` places. */
  | { between: [number, number]; decimals: number }
  /** One of the listed values. */
  | { oneOf: readonly number[] }
  /** An order of n things: a permutation of 0 … n−1 (which letter each statement gets). */
  | { order: number };

/** Parameter values: numbers, or an order (a list of indices). */
export type Params = Record<string, number | number[]>;

export interface Variants<P extends Params = Params> {
  /** What varies and how it is drawn. */
  params: { [K in keyof P]: Draw };
  /** Why a draw is refused ("the answer is 0"), or undefined; refused draws are drawn again. */
  reject?: (p: P) => string | undefined;
  /** The numbers of the course's shared notebook, as the course publishes them. */
  defaults: P;
  /** The exercise set (its cases, prompts, answers and notebook text) for these numbers. */
  make: (p: P) => ExerciseSet;
  /** The numbers as a learner reads them in feedback ("w¹ = 1.7, b¹ = −0.4"). */
  describe: (p: P) => string;
}

/** Whether two draws are the same numbers. */
export const sameParams = (a: Params, b: Params): boolean =>
  Object.keys(a).length === Object.keys(b).length &&
  Object.entries(a).every(([k, x]) => JSON.stringify(x) === JSON.stringify(b[k]));

/** Whether `p` could have been drawn for `v` (a notebook's claim is checked before a set is made from it). */
export function drawable(v: Variants, p: Params): boolean {
  return (
    Object.entries(v.params).every(([name, d]) => {
      const x = p[name];
      if ("order" in d)
        return Array.isArray(x) && x.length === d.order && [...x].sort((a, b) => a - b).every((y, i) => y === i);
      return typeof x === "number" && Number.isFinite(x);
    }) && Object.keys(p).every((k) => k in v.params)
  );
}

/** seed = HMAC-SHA-256(secret, learner ‖ section); the separator is a NUL, which neither contains. */
export function variantSeed(secret: string | Buffer, learner: string, section: string): Buffer {
  if (!secret.length) throw new Error("variants: the course secret is empty");
  return createHmac("sha256", secret)
    .update(`${normalEmail(learner)}\0${section}`)
    .digest();
}

/** The k-th fraction in [0, 1) of `label` under this seed: 53 bits of an HMAC. */
function fraction(seed: Buffer, label: string): number {
  const h = createHmac("sha256", seed).update(label).digest();
  return (h.readUIntBE(0, 6) * 2 ** 5 + (h[6] >> 3)) / 2 ** 53;
}

function drawOne(d: Draw, u: (k: number) => number): number | number[] {
  if ("between" in d) {
    const [lo, hi] = d.between;
    const scale = 10 ** d.decimals;
    return Math.round((lo + u(0) * (hi - lo)) * scale) / scale;
  }
  if ("oneOf" in d) return d.oneOf[Math.floor(u(0) * d.oneOf.length)];
  const order = Array.from({ length: d.order }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(u(i) * (i + 1)); // Fisher–Yates
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Draws refused by `reject` before giving up: a constraint that refuses almost everything is a bug in the set. */
export const MAX_ATTEMPTS = 1000;

/** The parameters drawn from a seed (the first draw that `reject` accepts). */
export function drawParams<P extends Params>(v: Variants<P>, seed: Buffer): P {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const p = Object.fromEntries(
      Object.entries(v.params).map(([name, d]) => [
        name,
        drawOne(d as Draw, (k) => fraction(seed, `${attempt} ${name} ${k}`)),
      ]),
    ) as P;
    if (!v.reject?.(p)) return p;
  }
  throw new Error(`variants: ${MAX_ATTEMPTS} draws in a row were refused by the set's constraint`);
}

/** A variant: its parameters and a short public name for them (which checks file and which notebook). */
export interface Variant {
  code: string;
  params: Params;
}

/** A short name for a variant's numbers (not a secret: it is derived from what the learner sees anyway). */
export function variantCode(section: string, params: Params): string {
  const h = createHmac("sha256", "variant code")
    .update(`${section}\0${JSON.stringify(params)}`)
    .digest("hex");
  return `v${h.slice(0, 8)}`;
}

/**
 * Whose notebook it is, as grading knows it: their id and the course's secret, or only their seed
 * for the section (what a grading job carries: the secret stays with the server).
 */
export type LearnerKey = { id: string; secret: string } | { seed: string };

/** The learner's variant of a section, or undefined when the section does not vary. */
export function learnerVariant(set: ExerciseSet, who: LearnerKey): Variant | undefined {
  if (!set.variants) return undefined;
  const seed = "seed" in who ? Buffer.from(who.seed, "hex") : variantSeed(who.secret, who.id, set.section);
  if (seed.length !== 32) throw new Error(`variants: a seed is 32 bytes (64 hex digits), got ${seed.length}`);
  const params = drawParams(set.variants, seed);
  return { code: variantCode(set.section, params), params };
}

/** The exercise set as one variant sees it (the set itself when it does not vary). */
export function variantSet(set: ExerciseSet, params: Params | undefined): ExerciseSet {
  if (!set.variants || !params) return set;
  if (!drawable(set.variants, params))
    throw new Error(`${set.section}: not a variant's numbers: ${JSON.stringify(params)}`);
  const made = set.variants.make(params);
  return { ...made, variants: set.variants };
}

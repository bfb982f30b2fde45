// Which variant a submission is graded against, for sections whose numbers vary per learner: the
// learner's seed for the section, HMAC-SHA-256(secret, email ‖ section), from the course's secret
// (made at the first start, kept beside the project as `course release --roster` keeps it). Only
// the seed goes with a grading job: a worker on another machine never holds the secret.
import { courseSecret, SECRET_FILE, variantSeed, varyingSets } from "../../sections";
import type { SeedOf } from "../queue";
import type { Store } from "../store";

/** The course's secret, read (or made, and said so) on first use. */
export function secretOnce(o: { secretFile?: string; log?: (line: string) => void } = {}): () => string {
  let secret: string | undefined;
  return () => (secret ??= courseSecret(o.secretFile ?? SECRET_FILE(), { create: true, log: o.log }).secret);
}

/** The seeds of a store's learners; undefined for a section that does not vary. */
export function createSeedOf(store: Store, secret: () => string): SeedOf {
  const varying = new Set(varyingSets().map((s) => s.section));
  return async ({ learnerId, section }) => {
    if (!varying.has(section)) return undefined;
    const learner = await store.learnerById(learnerId);
    return learner ? variantSeed(secret(), learner.email, section).toString("hex") : undefined;
  };
}

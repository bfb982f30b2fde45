// The learners' own notebooks, as the service hands them out on their page: the section's notebook
// with their numbers, and its public checks, built on request from the same secret `course release
// --roster` draws with (so the two agree), never stored.
import { learnerVariant, variantSet, varyingSets, type ExerciseSet } from "../../sections";
import { checksFileName } from "../../../notebooks/course/shared";
import type { PersonalNotebooks } from "../http";

export function createPersonalNotebooks(secret: () => string): PersonalNotebooks | undefined {
  const sets = varyingSets();
  if (!sets.length) return undefined;
  /** The learner's variant of a varying section, and the set for it. */
  const mine = (email: string, section: string) => {
    const full: ExerciseSet | undefined = sets.find((s) => s.section === section);
    if (!full) throw new Error(`${section} does not vary per learner`);
    const variant = learnerVariant(full, { id: email, secret: secret() })!;
    return { full, variant, set: variantSet(full, variant.params) };
  };
  // The compiler behind the notebook builder loads only when a learner first asks for a download.
  const authoring = () => require("../../authoring") as typeof import("../../authoring");
  return {
    sections: sets.map((s) => s.section),
    numbers(email, section) {
      const { full, variant } = mine(email, section);
      return full.variants!.describe(variant.params);
    },
    notebook(email, section) {
      const { set, variant } = mine(email, section);
      const { buildNotebook, notebookJson } = authoring();
      return notebookJson(buildNotebook(set, false, variant));
    },
    checks(email, section) {
      const { set, variant } = mine(email, section);
      return { name: checksFileName(section, variant.code), text: authoring().publicChecksJson(set) };
    },
  };
}

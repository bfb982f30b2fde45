// The learners' own notebooks, as the service hands them out on their page: the section's notebook
// with their numbers, and its public checks, built on request from the same secret `course release
// --roster` draws with (so the two agree), never stored.
import { learnerVariant, listSections, loadExerciseSet, variantSet } from "../../sections";
import type { PersonalNotebooks } from "../http";

export function createPersonalNotebooks(secret: () => string): PersonalNotebooks | undefined {
  const sets = listSections()
    .map((s) => loadExerciseSet(s))
    .filter((s) => s.variants);
  if (!sets.length) return undefined;
  const setOf = (section: string) => {
    const full = sets.find((s) => s.section === section);
    if (!full) throw new Error(`${section} does not vary per learner`);
    return full;
  };
  return {
    sections: sets.map((s) => s.section),
    numbers(email, section) {
      const full = setOf(section);
      return full.variants!.describe(learnerVariant(full, { id: email, secret: secret() })!.params);
    },
    async files(email, section) {
      const full = setOf(section);
      // The compiler behind the notebook builder loads only when a learner first asks for a notebook.
      const { buildNotebook, checksFileName, notebookJson, publicChecks } =
        require("../../authoring") as typeof import("../../authoring");
      const variant = learnerVariant(full, { id: email, secret: secret() })!;
      const set = variantSet(full, variant.params);
      return {
        numbers: full.variants!.describe(variant.params),
        notebook: notebookJson(buildNotebook(set, false, variant)),
        checks: { name: checksFileName(section, variant), text: JSON.stringify(publicChecks(set), null, 1) + "\n" },
      };
    },
  };
}

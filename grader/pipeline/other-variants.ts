// After the check, for a section whose numbers vary per learner: an answer that is wrong for the
// learner's own numbers but right for another variant's — the one the notebook's metadata names (a
// classmate's personal notebook), or the course's shared notebook — says so, without saying whose.
import type { Isolated } from "../isolation";
import { sameParams, variantSet, type ExerciseSet, type Params, type Variant } from "../sections";
import type { Definitions } from "../../notebooks/course/shared";
import { checkPart, type PartResult } from "./check";
import type { CheckedProgram } from "./typecheck";

export async function noteOtherVariants(
  set: ExerciseSet,
  own: Variant,
  claimed: Params | undefined,
  results: PartResult[],
  solution: Definitions,
  program: CheckedProgram,
  run: Isolated,
): Promise<void> {
  const v = set.variants;
  if (!v) return;
  const others = [claimed, v.defaults].filter(
    (p, i, all): p is Params =>
      p !== undefined && !sameParams(p, own.params) && all.findIndex((q) => q && sameParams(q, p)) === i,
  );
  const varied = set.parts.filter((p) => p.answer?.expected);
  for (const r of results) {
    const part = varied.find((p) => p.name === r.name);
    if (!part || r.status === "passed") continue;
    for (const params of others) {
      let otherPart;
      try {
        otherPart = variantSet(set, params).parts.find((p) => p.name === part.name);
      } catch {
        continue; // numbers the set cannot make: a hand-edited claim
      }
      if (!otherPart || (await checkPart(otherPart, solution, program, run)).status !== "passed") continue;
      r.feedback.unshift(
        `this answer is right for another variant's numbers, not for yours (${v.describe(own.params)}): the notebook was made for someone else's — work it out with your own`,
      );
      break;
    }
  }
}

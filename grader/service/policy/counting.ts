// The course's rules applied to what the store holds: the gradebook's rows with the submission that
// counts (after the late policy, slip days and extensions) in place of the best raw one, and one
// learner's counting scores for their pages, the API and the notebook's submit().
import type { BestRow, GradedAttempt, GradedSubmission, Store } from "../store";
import { dueText } from "./times";
import { standingOf, type Counted, type LearnerStanding, type Window } from "./standing";

export type CountedRow = BestRow & { counted?: Counted; window: Window };

/** What counts for a learner in a section: the final score (after the policy), the raw one and why they differ. */
export interface CountingScore {
  id: string;
  score: number;
  maxScore: number;
  raw: number;
  /** Absent when the final score is the raw one. */
  why?: string;
  counts: "best" | "last";
}

const group = <T extends { learnerId: string }>(xs: T[]) => {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(x.learnerId, [...(m.get(x.learnerId) ?? []), x]);
  return m;
};

async function facts(store: Store, learnerId?: string) {
  const [deadlines, extensions, bank, attempts] = await Promise.all([
    store.deadlines(),
    store.extensions(learnerId),
    store.slipDayBank(),
    store.gradedAttempts(learnerId),
  ]);
  return { deadlines, extensions, bank, attempts };
}

/** Every learner's row per section (the store's gradebook), each with the submission that counts. */
export async function countedGradebook(store: Store, sections: string[]): Promise<CountedRow[]> {
  const [rows, f] = await Promise.all([store.gradebook(sections), facts(store)]);
  const all = [...new Set([...sections, ...rows.map((r) => r.section)])];
  const attempts = group<GradedAttempt>(f.attempts),
    extensions = group(f.extensions);
  const standings = new Map<string, LearnerStanding>();
  const standing = (learnerId: string) => {
    if (!standings.has(learnerId))
      standings.set(
        learnerId,
        standingOf(all, attempts.get(learnerId) ?? [], f.deadlines, extensions.get(learnerId) ?? [], f.bank),
      );
    return standings.get(learnerId)!;
  };
  return Promise.all(
    rows.map(async (r): Promise<CountedRow> => {
      const s = standing(r.learnerId).sections[r.section];
      const counted = s.counted;
      // The policy may pick another submission than the best raw score (a late best, counting the last).
      const best =
        counted && counted.id !== r.best?.id ? ((await store.submission(counted.id)) as GradedSubmission) : r.best;
      return { ...r, ...(best ? { best } : {}), ...(counted ? { counted } : {}), window: s.window };
    }),
  );
}

/** One learner's standing: per section the counting score and their calendar line at `now`. */
export async function learnerCounting(
  store: Store,
  sections: string[],
  learnerId: string,
  now: number,
): Promise<{ standing: LearnerStanding; best: Record<string, CountingScore>; due: Record<string, string> }> {
  const f = await facts(store, learnerId);
  const standing = standingOf(sections, f.attempts, f.deadlines, f.extensions, f.bank);
  const best: Record<string, CountingScore> = {};
  const due: Record<string, string> = {};
  for (const s of sections) {
    const st = standing.sections[s];
    const text = dueText(st.window, f.deadlines[s], now);
    if (text) due[s] = text;
    const c = st.counted;
    if (c)
      best[s] = {
        id: c.id,
        score: c.final,
        maxScore: c.maxScore,
        raw: c.raw,
        ...(c.why ? { why: c.why } : {}),
        counts: f.deadlines[s]?.counts ?? "best",
      };
  }
  return { standing, best, due };
}

// Who may submit now: the admission policies of POST /api/submissions. A submission is admitted twice:
// when its headers arrive (before a byte of the body is read: wrong section, closed, over the rate,
// too much waiting, queue full) and again when its last byte has arrived (closed meanwhile). Between
// the two the upload holds a place: a learner's uploads in flight count against their rate and their
// waiting work exactly as stored ones do, so sending many headers at once and the bodies later gains
// nothing. NOTE: the places are this process's; several servers behind one balancer each hold their own.
import type { Learner, Store } from "../store";
import type { GradingQueue } from "../queue";
import { Refusal } from "./errors";
import type { ServiceLimits } from "./context";

/** A place held by one upload between its headers and its storing (or refusal). */
export interface Place {
  /** The body is complete: refused if the section closed meanwhile. */
  complete(): Promise<void>;
  /** The upload is stored or refused: its place is given back (once; later calls do nothing). */
  release(): void;
}

export interface Admission {
  /** Admits a learner's submission to a section (or throws a Refusal) and holds its place. */
  admit(l: Learner, section: string): Promise<Place>;
  /** Uploads in flight now, for every learner. */
  inFlight(): number;
}

export interface AdmissionDeps {
  store: Store;
  queue: GradingQueue;
  sections: string[];
  limits: ServiceLimits;
  now: () => number;
}

export function createAdmission(d: AdmissionDeps): Admission {
  const { store, queue, limits, now } = d;
  /** Uploads between admission and storing, per learner id. */
  const uploading = new Map<string, number>();
  /** Each learner's admissions run one at a time: the count read and the place taken are one step. */
  const turns = new Map<string, Promise<unknown>>();

  async function closed(section: string): Promise<void> {
    if ((await store.closedSections()).includes(section))
      throw new Refusal(403, `section ${section} is closed: it takes no more submissions`);
  }

  async function check(l: Learner, section: string): Promise<void> {
    if (!d.sections.includes(section))
      throw new Refusal(400, `there is no section "${section}"; sections: ${d.sections.join(", ")}`);
    await closed(section);
    const t = now();
    const recent = await store.recent(l.id, t - limits.windowMs);
    const mine = uploading.get(l.id) ?? 0;
    if (recent.count + mine >= limits.perWindow) {
      const wait = Math.max(1, Math.ceil(((recent.first ?? t) + limits.windowMs - t) / 1000));
      throw new Refusal(
        429,
        `you have submitted ${recent.count + mine} times in the last ${Math.round(limits.windowMs / 60000)} minutes, the most allowed: try again in ${wait} s`,
        { "Retry-After": String(wait) },
      );
    }
    if (recent.pending + mine >= limits.maxPendingPerLearner)
      throw new Refusal(
        429,
        `you have ${recent.pending + mine} submissions waiting to be graded, the most allowed: wait for their results, then submit again`,
        { "Retry-After": "30" },
      );
    const depth = (await queue.depth()) + inFlight();
    if (depth >= limits.maxQueue)
      throw new Refusal(429, `the grading queue is full (${depth} submissions waiting): try again in a minute`, {
        "Retry-After": "60",
      });
    uploading.set(l.id, mine + 1);
  }

  function inFlight(): number {
    let n = 0;
    for (const k of uploading.values()) n += k;
    return n;
  }

  return {
    inFlight,
    async admit(l, section) {
      const before = turns.get(l.id) ?? Promise.resolve();
      const mine = before.then(() => check(l, section));
      const settled = mine.catch(() => undefined);
      turns.set(l.id, settled);
      void settled.then(() => turns.get(l.id) === settled && turns.delete(l.id));
      await mine;
      let held = true;
      return {
        complete: () => closed(section),
        release() {
          if (!held) return;
          held = false;
          const left = (uploading.get(l.id) ?? 1) - 1;
          if (left > 0) uploading.set(l.id, left);
          else uploading.delete(l.id);
        },
      };
    },
  };
}

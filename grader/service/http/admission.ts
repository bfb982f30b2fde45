// Who may submit now: the admission policies of POST /api/submissions. A submission is admitted twice:
// when its headers arrive (before a byte of the body is read: wrong section, closed, over the rate,
// too much waiting, queue full, over the learner's kept bytes, too many bytes in flight for them or
// for the server) and again when its last byte has arrived (closed meanwhile, or past the learner's due
// time and late window: a submission's time is its last byte's). Between the two the
// upload holds a place: a learner's uploads in flight count against their rate, their waiting work
// and the bytes in flight exactly as stored ones do, so sending many headers at once and the bodies
// later gains nothing, and the server's memory for bodies is bounded. NOTE: the places are this process's; several servers behind one balancer each hold their own.
import { isClosed, type Learner, type Store } from "../store";
import type { GradingQueue } from "../queue";
import { isoMinute, span, windowAt, windowOf } from "../policy";
import { Refusal } from "./errors";
import type { ServiceLimits } from "./context";

/** A place held by one upload between its headers and its storing (or refusal). */
export interface Place {
  /** The body is complete: refused if the section closed meanwhile; else the submission's time (its last byte's). */
  complete(): Promise<number>;
  /** The upload is stored or refused: its place is given back (once; later calls do nothing). */
  release(): void;
}

export interface Admission {
  /** Admits a learner's submission of `bytes` (its Content-Length) to a section, or throws a Refusal; holds its place. */
  admit(l: Learner, section: string, bytes: number): Promise<Place>;
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
  /** Uploads between admission and storing, per learner id: how many, and their declared bytes. */
  const uploading = new Map<string, { n: number; bytes: number }>();
  let bytesInFlight = 0;
  /** Each learner's admissions run one at a time: the count read and the place taken are one step. */
  const turns = new Map<string, Promise<unknown>>();

  async function check(l: Learner, section: string, bytes: number): Promise<void> {
    if (!d.sections.includes(section))
      throw new Refusal(400, `there is no section "${section}"; sections: ${d.sections.join(", ")}`);
    await openFor(store, l, section, now());
    const t = now();
    const recent = await store.recent(l.id, t - limits.windowMs);
    const held = uploading.get(l.id) ?? { n: 0, bytes: 0 };
    const depth = (await queue.depth()) + inFlight();
    const refusal = overLimit(limits, { recent, held, depth, bytesInFlight }, bytes, t);
    if (refusal) throw refusal;
    uploading.set(l.id, { n: held.n + 1, bytes: held.bytes + bytes });
    bytesInFlight += bytes;
  }

  function inFlight(): number {
    let n = 0;
    for (const k of uploading.values()) n += k.n;
    return n;
  }

  return {
    inFlight,
    async admit(l, section, bytes) {
      const before = turns.get(l.id) ?? Promise.resolve();
      const mine = before.then(() => check(l, section, bytes));
      const settled = mine.catch(() => undefined);
      turns.set(l.id, settled);
      void settled.then(() => turns.get(l.id) === settled && turns.delete(l.id));
      await mine;
      let held = true;
      return {
        complete: () => openFor(store, l, section, now()),
        release() {
          if (!held) return;
          held = false;
          bytesInFlight -= bytes;
          const left = uploading.get(l.id) ?? { n: 1, bytes };
          if (left.n > 1) uploading.set(l.id, { n: left.n - 1, bytes: left.bytes - bytes });
          else uploading.delete(l.id);
        },
      };
    },
  };
}

/** `t`, unless the section is closed by hand, not open yet, or past the learner's (extended) late window: then a Refusal. */
async function openFor(store: Store, l: Learner, section: string, t: number): Promise<number> {
  if (isClosed(await store.sectionCloses(), section, t))
    throw new Refusal(403, `section ${section} is closed: it takes no more submissions`);
  const [deadline, extension] = [(await store.deadlines())[section], await store.extensions(l.id)];
  const w = windowOf(deadline, extension.find((e) => e.section === section)?.dueAt);
  const at = windowAt(w, t);
  if (at === "early")
    throw new Refusal(
      403,
      `section ${section} opens ${isoMinute(w.opensAt!)} (in ${span(w.opensAt! - t)}): submit it then`,
    );
  if (at === "closed")
    throw new Refusal(
      403,
      `section ${section} closed ${isoMinute(w.closesAt!)}${w.extended ? " (your extension)" : ""}: it takes no more submissions — ask your instructor for an extension`,
    );
  return t;
}

/** What a learner and the server hold when an upload asks in. */
interface Load {
  recent: { count: number; first?: number; pending: number; stored: number };
  /** This learner's uploads in flight: how many, their bytes. */
  held: { n: number; bytes: number };
  /** Submissions waiting in the queue or in flight. */
  depth: number;
  bytesInFlight: number;
}

const mb = (b: number) => `${Math.ceil(b / 1048576)} MB`;

/** The first limit an upload of `bytes` would pass, as the learner's refusal (undefined: within every limit). */
function overLimit(limits: ServiceLimits, { recent, held, depth, bytesInFlight }: Load, bytes: number, t: number) {
  if (recent.count + held.n >= limits.perWindow) {
    const wait = Math.max(1, Math.ceil(((recent.first ?? t) + limits.windowMs - t) / 1000));
    return new Refusal(
      429,
      `you have submitted ${recent.count + held.n} times in the last ${Math.round(limits.windowMs / 60000)} minutes, the most allowed: try again in ${wait} s`,
      { "Retry-After": String(wait) },
    );
  }
  if (recent.pending + held.n >= limits.maxPendingPerLearner)
    return new Refusal(
      429,
      `you have ${recent.pending + held.n} submissions waiting to be graded, the most allowed: wait for their results, then submit again`,
      { "Retry-After": "30" },
    );
  if (depth >= limits.maxQueue)
    return new Refusal(429, `the grading queue is full (${depth} submissions waiting): try again in a minute`, {
      "Retry-After": "60",
    });
  if (recent.stored + held.bytes + bytes > limits.maxStoredBytesPerLearner)
    return new Refusal(
      413,
      `your notebooks kept by the service take ${mb(recent.stored + held.bytes)}, and this one would pass the ${mb(limits.maxStoredBytesPerLearner)} kept per learner: clear its outputs (Edit → Clear Outputs of All Cells), save, and submit again`,
    );
  if (held.bytes + bytes > limits.maxInFlightBytesPerLearner)
    return new Refusal(
      429,
      `you are sending ${mb(held.bytes)} already: wait for those uploads to finish, then send this one`,
      {
        "Retry-After": "10",
      },
    );
  if (bytesInFlight + bytes > limits.maxInFlightBytes)
    return new Refusal(429, "the service is receiving too much at once: try again in a few seconds", {
      "Retry-After": "10",
    });
  return undefined;
}

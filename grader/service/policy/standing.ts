// What a learner's submissions are worth under the course's rules: for each section, the submission
// that counts (the best after the late policy, or the last), its raw and final score, and why they
// differ ("2 days late: −20 %", "1 slip day used, 2 left"). Computed from the stored facts whenever
// read, so an extension, a policy change or a regrade applies at once and nothing can go stale.
// Pure: times come in, nothing reads a clock.
import { NO_PENALTY, type Deadline, type Extension, type GradedAttempt, type LatePolicy } from "../store";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** A section's times for one learner: their extension moves the due time, and the late window with it. */
export interface Window {
  opensAt?: number;
  dueAt?: number;
  /** Submissions are refused after this; undefined: never. */
  closesAt?: number;
  extended: boolean;
}
export interface Counted {
  id: string;
  receivedAt: number;
  raw: number;
  final: number;
  maxScore: number;
  /** Milliseconds after the (extended) due time; 0 when on time. */
  lateMs: number;
  slipDaysUsed: number;
  /** Empty when on time: the score is the raw score. */
  why: string;
}
export interface SectionStanding {
  section: string;
  window: Window;
  attempts: number;
  counted?: Counted;
}
export interface LearnerStanding {
  sections: Record<string, SectionStanding>;
  slipDaysUsed: number;
  slipDaysLeft: number;
}

export function windowOf(d: Deadline | undefined, extension?: number): Window {
  if (!d) return { extended: false };
  const dueAt = extension ?? d.dueAt;
  // NOTE: an extension keeps the section's late window as long as it was: it moves with the due time.
  const lateWindow = d.lateUntil !== undefined && d.dueAt !== undefined ? d.lateUntil - d.dueAt : 0;
  const closesAt = dueAt !== undefined ? dueAt + lateWindow : d.lateUntil;
  return {
    ...(d.opensAt !== undefined ? { opensAt: d.opensAt } : {}),
    ...(dueAt !== undefined ? { dueAt } : {}),
    ...(closesAt !== undefined ? { closesAt } : {}),
    extended: extension !== undefined,
  };
}

/** Whether a window takes a submission at `t`: "early" before it opens, "closed" after it closes. */
export const windowAt = (w: Window, t: number): "early" | "open" | "closed" =>
  w.opensAt !== undefined && t < w.opensAt ? "early" : w.closesAt !== undefined && t > w.closesAt ? "closed" : "open";

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** A late submission's lateness in started units ("2 days", "5 hours"). */
export const lateness = (lateMs: number, per: "day" | "hour"): number =>
  Math.ceil(lateMs / (per === "day" ? DAY_MS : HOUR_MS));

/** One attempt under the policy, with `bank` slip days left before it. */
function judge(a: GradedAttempt, w: Window, p: LatePolicy, bank: number): Counted {
  const base = { id: a.id, receivedAt: a.receivedAt, raw: a.score, maxScore: a.maxScore, slipDaysUsed: 0 };
  const lateMs = w.dueAt !== undefined ? Math.max(0, a.receivedAt - w.dueAt) : 0;
  if (lateMs === 0) return { ...base, final: a.score, lateMs, why: "" };
  if (w.closesAt !== undefined && a.receivedAt > w.closesAt)
    return { ...base, final: 0, lateMs, why: "received after the late window closed" };
  const days = lateness(lateMs, "day");
  if (p.slipDays && days <= bank)
    return { ...base, final: a.score, lateMs, slipDaysUsed: days, why: `${plural(days, "slip day")} used` };
  const units = lateness(lateMs, p.per);
  const percent = Math.min(p.capPercent, units * p.percent);
  const late = `${plural(units, p.per)} late`;
  const short = p.slipDays ? ` (${plural(bank, "slip day")} left, ${days} needed)` : "";
  if (percent === 0) return { ...base, final: a.score, lateMs, why: `${late}: no penalty${short}` };
  const capped = percent === p.capPercent && units * p.percent > p.capPercent ? " (the cap)" : "";
  return {
    ...base,
    final: round2(a.score * (1 - percent / 100)),
    lateMs,
    why: `${late}: −${round2(percent)} %${capped}${short}`,
  };
}

/** The attempt that counts: the last, or the best final score (fewer slip days, then the earlier, between equals). */
function pick(judged: Counted[], counts: "best" | "last"): Counted | undefined {
  if (!judged.length) return undefined;
  if (counts === "last") return judged.reduce((a, b) => (b.receivedAt >= a.receivedAt ? b : a));
  return judged.reduce((a, b) =>
    b.final > a.final ||
    (b.final === a.final &&
      (b.slipDaysUsed < a.slipDaysUsed || (b.slipDaysUsed === a.slipDaysUsed && b.receivedAt < a.receivedAt)))
      ? b
      : a,
  );
}

/**
 * One learner's standing in every section. Slip days are spent section by section in the order of
 * their due times (the earliest first), each on the attempt that counts there.
 */
export function standingOf(
  sections: string[],
  attempts: GradedAttempt[],
  deadlines: Record<string, Deadline>,
  extensions: Extension[],
  slipDayBank: number,
): LearnerStanding {
  const ext = new Map(extensions.map((e) => [e.section, e.dueAt]));
  const windows = new Map(sections.map((s) => [s, windowOf(deadlines[s], ext.get(s))]));
  const order = [...sections].sort(
    (a, b) => (windows.get(a)!.dueAt ?? Infinity) - (windows.get(b)!.dueAt ?? Infinity) || a.localeCompare(b),
  );
  let left = slipDayBank;
  const out: Record<string, SectionStanding> = {};
  for (const s of order) {
    const w = windows.get(s)!;
    const mine = attempts.filter((a) => a.section === s);
    const d = deadlines[s];
    const counted = pick(
      mine.map((a) => judge(a, w, d?.policy ?? NO_PENALTY, left)),
      d?.counts ?? "best",
    );
    if (counted?.slipDaysUsed) {
      left -= counted.slipDaysUsed;
      counted.why += `, ${left} left`;
    }
    out[s] = { section: s, window: w, attempts: mine.length, ...(counted ? { counted } : {}) };
  }
  return {
    sections: Object.fromEntries(sections.map((s) => [s, out[s]])),
    slipDaysUsed: slipDayBank - left,
    slipDaysLeft: left,
  };
}

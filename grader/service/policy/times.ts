// Times as instructors write them and learners read them: "2026-12-24T23:59" in a time zone (the
// IANA names Node's Intl knows: Europe/Berlin, America/New_York…) or with its own offset, and
// "due in 2 days 3 h" / "late: −10 %/day until …" for the pages and the notebook.
import type { Deadline } from "../store";
import { DAY_MS, HOUR_MS, windowAt, type Window } from "./standing";

/** The zone's offset from UTC (ms) at the instant `utcMs`. */
function offsetAt(zone: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(utcMs));
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return (
    Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second")) - Math.floor(utcMs / 1000) * 1000
  );
}

/**
 * A time as written: ISO with its zone (2026-12-24T23:59:00Z, 2026-12-24T23:59+01:00), or a local
 * ISO time (2026-12-24T23:59) in `zone`. Undefined with the reason when it is neither.
 */
export function parseTime(text: string, zone?: string): { at: number } | { problem: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/.exec(text.trim());
  if (!m)
    return { problem: `"${text}" is not a time: write it as 2026-12-24T23:59 (with --tz) or 2026-12-24T23:59:00Z` };
  if (m[8]) return { at: Date.parse(text.trim()) };
  if (!zone) return { problem: `"${text}" has no zone: add Z or +01:00, or give --tz (e.g. --tz Europe/Berlin)` };
  const local = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0), Math.round(Number(m[7] ?? 0) * 1000));
  try {
    // NOTE: the offset at the local time read as UTC can differ from the offset at the true instant
    // near a daylight-saving change: the second look settles it.
    const first = local - offsetAt(zone, local);
    return { at: local - offsetAt(zone, first) };
  } catch {
    return { problem: `--tz: "${zone}" is not a time zone Node knows (e.g. Europe/Berlin, America/New_York, UTC)` };
  }
}

export const isoMinute = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** "2 days 3 h", "3 h 20 min", "12 min" (the two largest units). */
export function span(ms: number): string {
  const d = Math.floor(ms / DAY_MS),
    h = Math.floor((ms % DAY_MS) / HOUR_MS),
    min = Math.floor((ms % HOUR_MS) / 60_000);
  if (d) return `${d} day${d === 1 ? "" : "s"}${h ? ` ${h} h` : ""}`;
  if (h) return `${h} h${min ? ` ${min} min` : ""}`;
  return `${Math.max(1, min)} min`;
}

/** The policy in a few words: "−10 %/day, at most −50 %; slip days may cover it", or "no penalty". */
export function policyText(d: Deadline): string {
  const p = d.policy;
  const penalty = p.percent
    ? `−${p.percent} %/${p.per}${p.capPercent < 100 ? `, at most −${p.capPercent} %` : ""}`
    : "no penalty";
  return `${penalty}${p.slipDays ? "; slip days may cover it" : ""}`;
}

/** Where a learner stands with a section's calendar at `now`, in one line; empty when it has none. */
export function dueText(w: Window, d: Deadline | undefined, now: number): string {
  const ext = w.extended ? " (extended)" : "";
  const at = windowAt(w, now);
  if (at === "early") return `opens ${isoMinute(w.opensAt!)} (in ${span(w.opensAt! - now)})`;
  if (w.dueAt !== undefined && now <= w.dueAt) return `due ${isoMinute(w.dueAt)}${ext} (in ${span(w.dueAt - now)})`;
  if (at === "closed") return `closed ${isoMinute(w.closesAt!)}${ext}`;
  if (w.dueAt !== undefined)
    return `late since ${isoMinute(w.dueAt)}${ext}: ${d ? policyText(d) : "no penalty"}${w.closesAt !== undefined ? ` until ${isoMinute(w.closesAt)}` : ""}`;
  return "";
}

/** A deadline in one line, as `section list`, `section set` and the instructor's page show it. */
export function deadlineLine(d: Deadline | undefined): string {
  if (!d) return "no deadline";
  const parts = [
    d.opensAt !== undefined ? `opens ${isoMinute(d.opensAt)}` : "",
    d.dueAt !== undefined ? `due ${isoMinute(d.dueAt)}` : "",
    d.lateUntil !== undefined ? `late until ${isoMinute(d.lateUntil)}` : "",
  ].filter(Boolean);
  return `${parts.join(", ") || "no times"}; late: ${policyText(d)}; counts: ${d.counts}`;
}

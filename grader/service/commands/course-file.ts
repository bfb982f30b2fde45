// `course section import FILE.json`: the whole calendar from one file kept beside the course, as the
// options of `course section set` and `course slip-days` would give it:
//
//   { "tz": "Europe/Berlin", "slipDays": 3,
//     "sections": { "01-single-unit-gd": { "opens": "2026-12-01T09:00", "due": "2026-12-10T23:59",
//                   "lateUntil": "2026-12-17T23:59", "penalty": "10%/day", "cap": 50,
//                   "slipDays": true, "counts": "best" } } }
//
// Every section is checked before anything is written: a file with one mistake changes nothing.
import * as fs from "fs";
import { InputError } from "../../pipeline";
import type { Deadline, Store } from "../store";

const SECTION_KEYS = ["opens", "due", "lateUntil", "penalty", "cap", "slipDays", "counts"];

export interface CourseFile {
  tz?: string;
  slipDays?: number;
  sections: Record<string, Record<string, unknown>>;
}

export function readCourseFile(file: string): CourseFile {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new InputError(
      `${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `not JSON (${(e as Error).message})`}`,
    );
  }
  const f = data as CourseFile;
  if (!f || typeof f !== "object" || typeof f.sections !== "object" || f.sections === null)
    throw new InputError(`${file}: expected { "sections": { "01-single-unit-gd": { "due": … } } }`);
  for (const [s, o] of Object.entries(f.sections))
    for (const k of Object.keys(o ?? {}))
      if (!SECTION_KEYS.includes(k))
        throw new InputError(`${file}: sections.${s}.${k}: not a setting; settings: ${SECTION_KEYS.join(", ")}`);
  return f;
}

/** A section's calendar as options give it (`course section set`), times as written. */
export interface CalendarOptions {
  opens?: string;
  due?: string;
  lateUntil?: string;
  tz?: string;
  penalty?: string;
  cap?: string;
  slipDays?: boolean;
  counts?: string;
}
/** A problem of one section's settings names the section: "sections.03-not-network: --due: …". */
function inSection<T>(name: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`sections.${name}: ${e.message}`);
    throw e;
  }
}
type Merge = (section: string, old: Deadline | undefined, o: CalendarOptions) => Deadline;

/** Checks every section of the file against what the store has, then writes them all (and the slip days). */
export async function applyCourseFile(
  store: Store,
  f: CourseFile,
  merge: Merge,
  known: (s: string) => string,
  now: number,
) {
  const old = await store.deadlines();
  const text = (v: unknown) => (v === undefined ? undefined : String(v));
  const merged = Object.entries(f.sections).map(([name, o]) =>
    inSection(name, () =>
      merge(known(name), old[name], {
        tz: f.tz,
        opens: text(o.opens),
        due: text(o.due),
        lateUntil: text(o.lateUntil),
        penalty: text(o.penalty),
        cap: text(o.cap),
        ...(o.slipDays !== undefined ? { slipDays: Boolean(o.slipDays) } : {}),
        counts: text(o.counts),
      }),
    ),
  );
  if (f.slipDays !== undefined && (!Number.isInteger(f.slipDays) || f.slipDays < 0))
    throw new InputError(`slipDays: ${JSON.stringify(f.slipDays)} is not a whole number of days`);
  for (const d of merged) await store.setDeadline(d, now);
  if (f.slipDays !== undefined) await store.setSlipDayBank(f.slipDays);
  return merged;
}

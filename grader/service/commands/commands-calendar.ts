// `course section set`, `course extend`, `course slip-days`: the course's calendar and late policy,
// written to the service's store. Scores after the policy are computed when read, so a change here
// applies to the gradebook, the pages and the API at once.
import type { Command } from "commander";
import * as os from "os";
import { InputError } from "../../pipeline";
import { listSections } from "../../sections";
import { deadlineLine, isoMinute, parseTime } from "../policy";
import { normalEmail, NO_PENALTY, type Deadline, type LatePolicy } from "../store";
import { addGradebookCommand } from "./commands-gradebook";
import { applyCourseFile, readCourseFile, type CalendarOptions } from "./course-file";
import { withStore } from "./serve";

interface Io {
  out: NodeJS.WritableStream;
  help: string;
}
interface SetOptions extends CalendarOptions {
  data: string;
  database?: string;
}

export function sectionOf(name: string): string {
  const all = listSections();
  if (!all.includes(name)) throw new InputError(`there is no section "${name}"; sections: ${all.join(", ")}`);
  return name;
}

/** A time option: ISO with a zone, or local with --tz. */
function time(flag: string, text: string | undefined, tz: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = parseTime(text, tz);
  if ("problem" in t) throw new InputError(`${flag}: ${t.problem}`);
  return t.at;
}

/** "10%/day", "5 %/hour", "none". */
function penaltyOf(text: string): Pick<LatePolicy, "percent" | "per"> {
  if (text.trim() === "none") return { percent: 0, per: "day" };
  const m = /^(\d+(?:\.\d+)?)\s*%?\s*\/\s*(day|hour)$/.exec(text.trim());
  if (!m || Number(m[1]) > 100)
    throw new InputError(`--penalty: "${text}" is not a penalty: write it as 10%/day, 5%/hour or none`);
  return { percent: Number(m[1]), per: m[2] as "day" | "hour" };
}

/** The deadline after the options, the options not given keeping what the section had. */
export function mergeDeadline(section: string, old: Deadline | undefined, o: CalendarOptions): Deadline {
  const pick = (flag: string, text: string | undefined, had: number | undefined) =>
    text === undefined ? had : text === "none" ? undefined : time(flag, text, o.tz);
  const d: Deadline = {
    section,
    opensAt: pick("--opens", o.opens, old?.opensAt),
    dueAt: pick("--due", o.due, old?.dueAt),
    lateUntil: pick("--late-until", o.lateUntil, old?.lateUntil),
    policy: {
      ...(old?.policy ?? NO_PENALTY),
      ...(o.penalty !== undefined ? penaltyOf(o.penalty) : {}),
      ...(o.cap !== undefined ? { capPercent: capOf(o.cap) } : {}),
      ...(o.slipDays !== undefined ? { slipDays: o.slipDays } : {}),
    },
    counts: (o.counts ?? old?.counts ?? "best") as Deadline["counts"],
  };
  if (!["best", "last"].includes(d.counts)) throw new InputError(`--counts: "${o.counts}" is not best or last`);
  if (d.lateUntil !== undefined && d.dueAt === undefined)
    throw new InputError("--late-until needs a due time (--due): the late window starts there");
  if (d.opensAt !== undefined && d.dueAt !== undefined && d.opensAt >= d.dueAt)
    throw new InputError(`--opens (${isoMinute(d.opensAt)}) must come before --due (${isoMinute(d.dueAt)})`);
  if (d.lateUntil !== undefined && d.lateUntil < d.dueAt!)
    throw new InputError(
      `--late-until (${isoMinute(d.lateUntil)}) must not come before --due (${isoMinute(d.dueAt!)})`,
    );
  return Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as unknown as Deadline;
}

function capOf(text: string): number {
  const n = Number(text.replace(/%$/, ""));
  if (!Number.isFinite(n) || n < 0 || n > 100)
    throw new InputError(`--cap: "${text}" is not a percentage from 0 to 100`);
  return n;
}

export function addCalendarCommands(section: Command, program: Command, io: Io): void {
  addGradebookCommand(program, io);
  addSetCommand(section, io);
  addImportCommand(section, io);
  addExtendCommand(program, io);
  addSlipDaysCommand(program, io);
}

function addSetCommand(section: Command, io: Io): void {
  section
    .command("set")
    .description("a section's opening, due and late-window times and its late policy (options not given stay)")
    .argument("<section>")
    .requiredOption("--data <dir>", "the service's folder")
    .option("--database <url>", "the service's PostgreSQL store")
    .option("--opens <time>", "submissions refused before (2026-12-01T09:00 with --tz, or ISO with a zone; none: drop)")
    .option("--due <time>", "the due time: later submissions are late")
    .option("--late-until <time>", "late submissions are refused after this (default: at the due time)")
    .option("--tz <zone>", "the zone of times written without one (e.g. Europe/Berlin)")
    .option("--penalty <rate>", "taken per started day or hour late: 10%/day, 5%/hour, none")
    .option("--cap <percent>", "the most a penalty takes (default 100)")
    .option("--slip-days", "late days may be paid from each learner's bank of slip days (course slip-days N)")
    .option("--no-slip-days", "they may not")
    .option("--counts <best|last>", "which submission counts: the best after the penalty, or the last")
    .addHelpText("after", io.help)
    .action((name: string, o: SetOptions) =>
      withStore(o, async (store) => {
        const s = sectionOf(name);
        const d = mergeDeadline(s, (await store.deadlines())[s], o);
        await store.setDeadline(d, Date.now());
        io.out.write(`${s}: ${deadlineLine(d)}\n`);
      }),
    );
}

function addImportCommand(section: Command, io: Io): void {
  section
    .command("import")
    .description(
      "the whole calendar from a JSON course file (docs/service.md): every section checked, then all written",
    )
    .argument("<file>")
    .requiredOption("--data <dir>", "the service's folder")
    .option("--database <url>", "the service's PostgreSQL store")
    .addHelpText("after", io.help)
    .action((file: string, o: { data: string; database?: string }) =>
      withStore(o, async (store) => {
        const f = readCourseFile(file);
        const merged = await applyCourseFile(store, f, mergeDeadline, sectionOf, Date.now());
        for (const d of merged) io.out.write(`${d.section}: ${deadlineLine(d)}\n`);
        if (f.slipDays !== undefined)
          io.out.write(`each learner has ${f.slipDays} slip day${f.slipDays === 1 ? "" : "s"} for the course\n`);
      }),
    );
}

function addExtendCommand(program: Command, io: Io): void {
  program
    .command("extend")
    .description("give one learner a new due time for a section (their late window moves with it)")
    .argument("<email>")
    .argument("<section>")
    .requiredOption("--until <time>", "the learner's new due time")
    .requiredOption("--data <dir>", "the service's folder")
    .option("--database <url>", "the service's PostgreSQL store")
    .option("--tz <zone>", "the zone of a time written without one")
    .option("--by <name>", "who grants it, for the record (default: this user)")
    .addHelpText("after", io.help)
    .action(
      (email: string, name: string, o: { until: string; data: string; database?: string; tz?: string; by?: string }) =>
        withStore(o, async (store) => {
          const s = sectionOf(name);
          const l = await store.learnerByEmail(normalEmail(email));
          if (!l) throw new InputError(`${email} is not in the roster (course roster list shows who is)`);
          const dueAt = time("--until", o.until, o.tz)!;
          const old = await store.extend(
            { learnerId: l.id, section: s, dueAt },
            o.by ?? os.userInfo().username,
            Date.now(),
          );
          const was = old ?? (await store.deadlines())[s]?.dueAt;
          io.out.write(
            `${l.email}: ${s} due ${was !== undefined ? `${isoMinute(was)} → ` : ""}${isoMinute(dueAt)}; scores recomputed\n`,
          );
        }),
    );
}

function addSlipDaysCommand(program: Command, io: Io): void {
  program
    .command("slip-days")
    .description("the bank of slip days each learner has for the whole course (sections with --slip-days use it)")
    .argument("<days>")
    .requiredOption("--data <dir>", "the service's folder")
    .option("--database <url>", "the service's PostgreSQL store")
    .action((days: string, o: { data: string; database?: string }) =>
      withStore(o, async (store) => {
        const n = Number(days);
        if (!Number.isInteger(n) || n < 0 || n > 365)
          throw new InputError(`slip-days: "${days}" is not a whole number of days from 0 to 365`);
        await store.setSlipDayBank(n);
        io.out.write(`each learner has ${n} slip day${n === 1 ? "" : "s"} for the course\n`);
      }),
    );
}

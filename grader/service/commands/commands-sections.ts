// `course section list|close|open` (and `set`, the calendar: commands-calendar.ts): the instructor's deadlines, written to the service's store (as
// the instructor page's buttons do). A close time may lie ahead: from then on submissions are
// refused, judged when a submission's last byte arrives (admission.ts).
import type { Command } from "commander";
import { InputError } from "../../pipeline";
import { listSections } from "../../sections";
import { isClosed } from "../store";
import { deadlineLine } from "../policy";
import { addCalendarCommands, sectionOf } from "./commands-calendar";
import { withStore } from "./serve";

interface Io {
  out: NodeJS.WritableStream;
  help: string;
}

/** A time as the instructor writes it (ISO, with a zone or UTC: 2026-12-24T23:59:00Z, 2026-12-24T23:59+01:00). */
function timeOf(text: string): number {
  const t = Date.parse(text);
  if (!Number.isFinite(t) || !/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text))
    throw new InputError(`--at: "${text}" is not a time: give an ISO time with its zone, e.g. 2026-12-24T23:59:00Z`);
  return t;
}

export function addSectionCommands(program: Command, io: Io): void {
  const section = program.command("section").description("open and close sections of the grading service");
  const iso = (ms: number) => new Date(ms).toISOString();
  section
    .command("list")
    .description("each section: open or closed, and its close time")
    .requiredOption("--data <dir>", "the service's folder")
    .option("--database <url>", "the service's PostgreSQL store")
    .action((o: { data: string; database?: string }) =>
      withStore(o, async (store) => {
        const now = Date.now();
        const [closes, deadlines] = await Promise.all([store.sectionCloses(), store.deadlines()]);
        for (const s of listSections())
          io.out.write(
            `${s}\t${isClosed(closes, s, now) ? `closed since ${iso(closes[s])}` : closes[s] ? `open, closes ${iso(closes[s])}` : "open"}\t${deadlineLine(deadlines[s])}\n`,
          );
      }),
    );
  section
    .command("close")
    .description("close a section to submissions, now or at a time to come (--at)")
    .argument("<section>")
    .requiredOption("--data <dir>", "the service's folder")
    .option("--database <url>", "the service's PostgreSQL store")
    .option("--at <time>", "when it closes (ISO with a zone, e.g. 2026-12-24T23:59:00Z); default: now")
    .addHelpText("after", io.help)
    .action((name: string, o: { data: string; database?: string; at?: string }) =>
      withStore(o, async (store) => {
        const s = sectionOf(name);
        if (o.at !== undefined) await store.closeSectionAt(s, timeOf(o.at));
        else await store.setSectionOpen(s, false, Date.now());
        io.out.write(`${s}: closes ${iso((await store.sectionCloses())[s])}\n`);
      }),
    );
  section
    .command("open")
    .description("open a section again (its close time is dropped)")
    .argument("<section>")
    .requiredOption("--data <dir>", "the service's folder")
    .option("--database <url>", "the service's PostgreSQL store")
    .action((name: string, o: { data: string; database?: string }) =>
      withStore(o, async (store) => {
        const s = sectionOf(name);
        await store.setSectionOpen(s, true, Date.now());
        io.out.write(`${s}: open\n`);
      }),
    );
  addCalendarCommands(section, program, io);
}

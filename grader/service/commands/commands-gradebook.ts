// `course gradebook --format csv|canvas|moodle`: the final scores (after the late policy) in the
// layout an LMS's gradebook import takes. csv: the service's own CSV (a row per learner and section,
// parts, total, final, why). canvas: Canvas' grade import — Student, ID, SIS User ID, SIS Login ID,
// Section, then one column per assignment (a column Canvas does not know becomes a new assignment);
// learners are matched by SIS Login ID, written as the email. moodle: Moodle's CSV grade import —
// "Email address" (mapped to the user field email), then one column per grade item. A learner with no
// graded submission has an empty cell, which both LMSs leave unchanged.
import type { Command } from "commander";
import { stringify } from "csv-stringify/sync";
import * as fs from "fs";
import { fmtScore } from "../../../notebooks/course/shared";
import { InputError } from "../../pipeline";
import { listSections } from "../../sections";
import { gradebookCsvOf } from "../http";
import { countedGradebook, type CountedRow } from "../policy";
import { withStore } from "./serve";

export const FORMATS = ["csv", "canvas", "moodle"] as const;
type Format = (typeof FORMATS)[number];

/** One row per learner: their final score in each section (empty when none is graded). */
function perLearner(rows: CountedRow[], sections: string[]) {
  const learners = new Map<string, { email: string; name: string; finals: Map<string, number> }>();
  for (const r of rows) {
    const l = learners.get(r.learnerId) ?? { email: r.email, name: r.name, finals: new Map() };
    if (r.counted) l.finals.set(r.section, r.counted.final);
    learners.set(r.learnerId, l);
  }
  return [...learners.values()].map((l) => ({
    ...l,
    cells: sections.map((s) => (l.finals.has(s) ? fmtScore(l.finals.get(s)!) : "")),
  }));
}

export function lmsGradebook(format: Format, rows: CountedRow[], sections: string[]): string {
  if (format === "csv") return gradebookCsvOf(rows);
  const learners = perLearner(rows, sections);
  // NOTE: escape_formulas: a name like =HYPERLINK(…) is shown by the spreadsheet, not run.
  const csv = (head: string[], body: string[][]) => stringify([head, ...body], { escape_formulas: true });
  if (format === "canvas")
    return csv(
      ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ...sections],
      learners.map((l) => [l.name || l.email, "", "", l.email, "", ...l.cells]),
    );
  return csv(
    ["Email address", ...sections],
    learners.map((l) => [l.email, ...l.cells]),
  );
}

export function addGradebookCommand(program: Command, io: { out: NodeJS.WritableStream; help: string }): void {
  program
    .command("gradebook")
    .description("the final scores (after late policies) as csv, or in Canvas' or Moodle's grade-import layout")
    .requiredOption("--data <dir>", "the service's folder")
    .option("--database <url>", "the service's PostgreSQL store")
    .option("--format <csv|canvas|moodle>", "the layout", "csv")
    .option("--out <file>", "write it here instead of standard output")
    .addHelpText("after", io.help)
    .action((o: { data: string; database?: string; format: string; out?: string }) =>
      withStore(o, async (store) => {
        if (!FORMATS.includes(o.format as Format))
          throw new InputError(`--format: "${o.format}" is not one of ${FORMATS.join(", ")}`);
        const sections = listSections();
        const text = lmsGradebook(o.format as Format, await countedGradebook(store, sections), sections);
        if (o.out) fs.writeFileSync(o.out, text);
        else io.out.write(text);
      }),
    );
}

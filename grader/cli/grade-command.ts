// `course grade`: one notebook (its Part / Score / Feedback table, Gradescope's results.json) or a batch
// on the worker pool (gradebook CSV, feedback files, per-learner JSON), with a roster's variants.
import { Option, type Command } from "commander";
import * as fs from "fs";
import * as os from "os";
import { collectSubmissions, gradeBatch, writeOutputs, type LearnerResult } from "../batch";
import { MachineBusy } from "../isolation";
import { formatTable, gradeNotebook, gradescopeJson, InputError, oneLine } from "../pipeline";
import { courseSecret, SECRET_FILE } from "../sections";
import { learnerOf, rosterEmails } from "./learners";

export interface CliIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** The exit codes' line, after every command's help. */
  help: string;
}

export function addGradeCommand(program: Command, { out, err, help }: CliIo): void {
  program
    .command("grade")
    .description(
      "grade submitted notebooks: one file prints its Part / Score / Feedback table; several files or folders grade as a batch on a worker pool",
    )
    .argument("<paths...>", "submitted .ipynb files, or folders of them")
    .option(
      "--json <path>",
      "one file: write Gradescope results.json to PATH; a batch: one <learner>.json per learner in folder PATH",
    )
    .option("--csv <file>", "batch: write the gradebook (one row per learner, points per part) to FILE")
    .option("--feedback <dir>", "batch: write one feedback file per learner to DIR")
    .addOption(new Option("--format <format>", "feedback format").choices(["md", "html"]).default("md"))
    .option("--jobs <n>", "batch: worker processes (default: one per core)", (v) => positiveInt(v, "--jobs"))
    .option("--anonymize", "batch: stable anonymous learner ids (anon-…) instead of names")
    .option("--section <name>", "exercise set to grade against (default: from the file name or notebook)")
    .option("--part <names...>", "one notebook: grade only these parts (score out of their points)")
    .option(
      "--roster <csv>",
      "a class list (email,name): each notebook is the learner its file or folder is named after, graded against their own variant",
    )
    .option("--learner <email>", "one notebook: whose it is (graded against their own variant)")
    .option(
      "--submission-metadata <file>",
      "one notebook: Gradescope's submission_metadata.json, whose submitter's email says whose it is",
    )
    .option("--quiet", "no progress on stderr")
    .addHelpText("after", help)
    .action(async (paths: string[], o: GradeCliOptions) => {
      const files = collectSubmissions(paths);
      if (files.length === 0) throw new InputError(`no .ipynb files in ${paths.join(", ")}`);
      const batch =
        files.length > 1 ||
        paths.some((p) => fs.existsSync(p) && fs.statSync(p).isDirectory()) ||
        o.csv ||
        o.feedback ||
        o.jobs ||
        o.anonymize;
      if (o.part && batch) throw new InputError("--part grades one notebook; a batch grades every part");
      if (!batch) return gradeOne(files[0], o, out, err);
      await gradeMany(files, o, out, err);
    });
}

interface GradeCliOptions {
  json?: string;
  csv?: string;
  feedback?: string;
  format: "md" | "html";
  jobs?: number;
  anonymize?: boolean;
  section?: string;
  part?: string[];
  roster?: string;
  learner?: string;
  submissionMetadata?: string;
  quiet?: boolean;
}

function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${flag} needs a whole number ≥ 1, got "${v}"`);
  return n;
}

async function gradeOne(
  file: string,
  o: GradeCliOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<void> {
  const t0 = Date.now();
  try {
    const report = await gradeNotebook(file, {
      section: o.section,
      parts: o.part,
      learner: learnerOf(file, o),
      log: o.quiet ? undefined : (l) => err.write(`… ${l}\n`),
    });
    out.write(formatTable(report, process.stdout.columns ?? 100) + "\n");
    if (o.json) fs.writeFileSync(o.json, JSON.stringify(gradescopeJson(report), null, 2) + "\n");
  } catch (e) {
    // Gradescope shows results.json: a submission that is not a notebook still gets one, saying why.
    if (o.json) {
      const output =
        e instanceof InputError
          ? `Your submission could not be graded: ${e.message}`
          : e instanceof MachineBusy
            ? `The autograder was too busy to grade your submission fairly (not your fault): please submit it again in a few minutes.`
            : `The autograder failed on this submission (not your fault): ${(e as Error).message}. Please tell the course staff.`;
      fs.writeFileSync(o.json, JSON.stringify({ score: 0, output, tests: [] }, null, 2) + "\n");
    }
    throw e;
  }
  if (!o.quiet) err.write(`graded in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

async function gradeMany(
  files: string[],
  o: GradeCliOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<void> {
  const t0 = Date.now();
  const jobs = Math.min(o.jobs ?? os.availableParallelism(), files.length);
  const tty = (err as NodeJS.WriteStream).isTTY === true;
  if (!o.quiet) err.write(`grading ${files.length} submissions on ${jobs} worker${jobs > 1 ? "s" : ""}\n`);
  const results = await gradeBatch(files, {
    jobs,
    section: o.section,
    ...(o.roster ? { roster: { emails: rosterEmails(o.roster), secret: courseSecret(SECRET_FILE()).secret } } : {}),
    anonymize: o.anonymize,
    onProgress: o.quiet
      ? undefined
      : (done, total, last) => {
          const width = 30,
            filled = Math.round((width * done) / total);
          const rate = (done / ((Date.now() - t0) / 60000)).toFixed(1);
          const line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}  ${rate}/min  ${oneLine(last.learner, 40)}: ${last.status}${last.report ? ` ${last.report.score}` : ""}`;
          err.write(tty ? `\r${line.padEnd(100)}${done === total ? "\n" : ""}` : `${line}\n`);
        },
  });
  writeOutputs(results, { csv: o.csv, jsonDir: o.json, feedbackDir: o.feedback, format: o.format });
  out.write(summary(results));
  if (!o.quiet) err.write(`graded ${files.length} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

function summary(results: LearnerResult[]): string {
  const counts = new Map<string, number>(["ok", "type-error", "timeout", "not-a-notebook", "error"].map((s) => [s, 0]));
  for (const r of results) counts.set(r.status, counts.get(r.status)! + 1);
  for (const [s, n] of counts) if (n === 0) counts.delete(s);
  // Learner ids and errors are one line of plain text (sanitize.ts): no row can draw over another.
  const lines = results.map(
    (r) =>
      `${oneLine(r.learner, 60).padEnd(24)} ${r.status.padEnd(15)} ${r.report ? `${r.report.score} / ${r.report.maxScore}` : oneLine(r.error ?? "", 200)}${r.flags.length ? `  [${r.flags.map((f) => oneLine(f, 100)).join("; ")}]` : ""}`,
  );
  const flagged = results.filter((r) => r.flags.length).length;
  return `${lines.join("\n")}\n${results.length} graded: ${[...counts].map(([s, n]) => `${n} ${s}`).join(", ")}${flagged ? `; ${flagged} flagged (duplicate ids)` : ""}\n`;
}

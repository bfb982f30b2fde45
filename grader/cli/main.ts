// `course` — the command line. Exit codes: 0 done (whatever the scores), 1 usage error or a
// failed verify, 2 bad input (not a notebook, no submissions, …), 3 internal error.
import { Command, Option } from "commander";
import * as fs from "fs";
import * as os from "os";
import { collectSubmissions, gradeBatch, writeOutputs, type LearnerResult } from "../batch";
import { closeTypeChecker, formatTable, gradeNotebook, gradescopeJson, InputError, oneLine } from "../pipeline";
import { MachineBusy } from "../isolation";
import { courseSecret, findSection, listSections, loadExerciseSet, SECRET_FILE } from "../sections";
import { ensureSecret, learnerOf, rosterEmails } from "./learners";
import { install as installKernel } from "../../notebooks/kernel/install.js";

// NOTE: authoring (the TypeScript compiler, ~0.6 s to load) and the service (Fastify, BullMQ, pg, ~0.5 s)
// are loaded only by the commands that use them: `course grade` starts in a fraction of a second.
// (`require`, not `import()`: under tsx's CommonJS hook, `import()` is Node's ESM loader, which knows no .ts.)
const authoring = async () => require("../authoring") as typeof import("../authoring");
const service = async () => require("../service") as typeof import("../service");
const integrity = async () => require("../integrity") as typeof import("../integrity");
/** Commands that need nothing of the service: the service's commands are not even registered for them. */
const OWN_COMMANDS = new Set(["grade", "build", "verify", "kernel", "release", "gradescope", "similarity"]);

const EXIT_CODES = "\nExit codes: 0 done, 1 usage error (or verify found problems), 2 bad input, 3 internal error.";

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  let exitCode = 0;
  const program = new Command("course")
    .description("TypeScript neural-network course: grade notebooks, build and verify exercise sets")
    .exitOverride();
  program.configureOutput({ writeOut: (s) => out.write(s), writeErr: (s) => err.write(s) });
  program.addHelpText("after", EXIT_CODES);
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
    .addHelpText("after", EXIT_CODES)
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
  program
    .command("build")
    .description("regenerate the student notebooks and their public checks from exercises/ and solutions/")
    .addHelpText("after", EXIT_CODES)
    .action(async () => {
      for (const f of (await authoring()).buildAll()) out.write(`wrote ${f}\n`);
    });
  program
    .command("verify")
    .description(
      "check that each exercise set, its solution, its notebook and its hidden checks agree (solution 100 %, stub 0, published numbers, public cases, stubs, leaks, mutants)",
    )
    .argument("[sections...]", "sections to verify (default: all)")
    .option("--quiet", "no progress on stderr")
    .addHelpText("after", EXIT_CODES)
    .action(async (sections: string[], o: { quiet?: boolean }) => {
      const chosen = sections.map((s) => {
        const found = findSection(s);
        if (!found) throw new InputError(`unknown section "${s}"; sections: ${listSections().join(", ")}`);
        return found;
      });
      for (const s of chosen.length ? chosen : listSections()) {
        const r = await (
          await authoring()
        ).verifySection(s, { log: o.quiet ? undefined : (l) => err.write(`… ${l}\n`) });
        const killed = r.mutation.reduce((n, m) => n + m.killed, 0),
          total = r.mutation.reduce((n, m) => n + m.total, 0);
        const equivalent = r.mutation.reduce((n, m) => n + m.equivalent.length, 0);
        out.write(
          `${r.problems.length ? "✗" : "✓"} ${s}: ${killed}/${total} mutants caught by hidden checks, ${equivalent} listed as equivalent${r.variants ? `; ${r.variants} learners' variants graded` : ""} (${r.seconds.toFixed(1)} s)\n`,
        );
        for (const p of r.problems) out.write(`  - ${p}\n`);
        if (r.problems.length) exitCode = 1;
      }
    });
  program
    .command("kernel")
    .description(
      'register the course\'s Jupyter kernel ("Neural networks (TypeScript)", nn-typescript) for this checkout',
    )
    .argument("<action>", "install")
    .option(
      "--jupyter <path>",
      "the jupyter command",
      fs.existsSync("/usr/bin/jupyter") ? "/usr/bin/jupyter" : "jupyter",
    )
    .option("--replace", "take the kernel's name over from another copy of the course")
    .addHelpText("after", EXIT_CODES)
    .action(async (action: string, o: { jupyter: string; replace?: boolean }) => {
      if (action !== "install") throw new InputError(`course kernel: unknown action "${action}" (known: install)`);
      try {
        out.write(`${installKernel(o.jupyter, { replace: o.replace })}\n`);
      } catch (e) {
        throw new InputError((e as Error).message);
      }
    });
  program
    .command("release")
    .description(
      "write the learner bundle: stub notebooks, public checks, the notebook helper, data and a README — no solutions, no hidden values",
    )
    .option("--out <dir>", "output folder (must be empty or absent)", "dist/student")
    .option("--server <url>", "the grading service learners submit to from their notebooks (course serve)")
    .option(
      "--roster <csv>",
      "a class list (email,name): one bundle per learner in OUT/<email>/, with their own numbers in the sections that vary",
    )
    .addHelpText("after", EXIT_CODES)
    .action(async (o: { out: string; server?: string; roster?: string }) => {
      const roster = o.roster ? { emails: rosterEmails(o.roster), secret: ensureSecret(err) } : undefined;
      const { files, learners } = (await authoring()).buildRelease(o.out, { server: o.server, roster });
      out.write(
        learners === undefined
          ? `wrote ${files.length} files to ${o.out}\n`
          : `wrote a bundle for each of ${learners} learners to ${o.out}/<email>/ (${files.length} personal files)\n`,
      );
    });
  program
    .command("gradescope")
    .description(
      "write a Gradescope autograder bundle (setup.sh, run_autograder, the grader) for one section, as a zip",
    )
    .requiredOption(
      "--section <name>",
      "the section this Gradescope assignment grades (every submission is graded as it)",
    )
    .option("--out <file>", "the zip to write", "autograder.zip")
    .addHelpText("after", EXIT_CODES)
    .action(async (o: { out: string; section: string }) => {
      const section = findSection(o.section);
      if (!section) throw new InputError(`unknown section "${o.section}"; sections: ${listSections().join(", ")}`);
      const secret = loadExerciseSet(section).variants ? ensureSecret(err) : undefined;
      const { entries } = (await authoring()).buildGradescope(o.out, section, secret);
      out.write(`wrote ${o.out} (${entries} entries); upload it as the assignment's autograder\n`);
    });
  program
    .command("similarity")
    .description(
      "which learners handed in the same code: their notebooks' own code compared pair by pair (names, order, comments and spacing aside), as an HTML report",
    )
    .argument("<section>", "the section the notebooks are (its released code is left out)")
    .argument("<paths...>", "submitted .ipynb files, or folders of them")
    .option("--out <file>", "the HTML report to write", "similarity.html")
    .option("--threshold <percent>", "list pairs at this score or more", (v) => percent(v), 0.6)
    .addHelpText("after", EXIT_CODES)
    .action(async (name: string, paths: string[], o: { out: string; threshold: number }) => {
      const section = findSection(name);
      if (!section) throw new InputError(`unknown section "${name}"; sections: ${listSections().join(", ")}`);
      const files = collectSubmissions(paths);
      if (files.length < 2)
        throw new InputError(`similarity needs two notebooks or more; found ${files.length} in ${paths.join(", ")}`);
      const t0 = Date.now();
      const { compareNotebooks, similarityHtml } = await integrity();
      const s = compareNotebooks(section, files);
      const notes = s.unreadable.map((u) => `${u.name}: not read (${u.why})`);
      fs.writeFileSync(o.out, similarityHtml(section, s, o.threshold, { notes }));
      const above = s.pairs.filter((p) => p.score >= o.threshold);
      out.write(
        `${s.compared.length} notebooks compared (${s.pairCount} pairs) in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${above.length} pair${above.length === 1 ? "" : "s"} at ${Math.round(100 * o.threshold)} % or more; wrote ${o.out}\n`,
      );
      for (const p of above.slice(0, 10))
        out.write(
          `  ${Math.round(100 * p.score)} %  ${oneLine(s.compared[p.a].name, 60)} — ${oneLine(s.compared[p.b].name, 60)}\n`,
        );
      for (const n of [...s.skipped.map((k) => `${k.name}: not compared, ${k.why}`), ...notes])
        err.write(`note: ${oneLine(n)}\n`);
    });
  if (!OWN_COMMANDS.has(argv[2])) {
    const { addRegradeCommand, addSectionCommands, addServiceCommands, addWorkerCommands } = await service();
    addServiceCommands(program, { out, err, help: EXIT_CODES });
    addWorkerCommands(program, { out, err, help: EXIT_CODES });
    addSectionCommands(program, { out, help: EXIT_CODES });
    addRegradeCommand(program, { out, help: EXIT_CODES });
  }
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof InputError) {
      err.write(`course: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof MachineBusy) {
      err.write(`course: ${e.message}. Nothing was scored: grade it again when the machine is less busy.\n`);
      return e.exitCode;
    }
    if ((e as { code?: string }).code?.startsWith("commander.")) return (e as { exitCode: number }).exitCode;
    if (e instanceof Error && /^release: /.test(e.message)) {
      err.write(`course ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    closeTypeChecker();
  }
  return exitCode;
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

function percent(v: string): number {
  const n = Number(v.replace(/%$/, ""));
  if (!(n >= 0 && n <= 100)) throw new InputError(`--threshold needs a percentage from 0 to 100, got "${v}"`);
  return n / 100;
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

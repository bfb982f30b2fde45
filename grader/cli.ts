// `course` — the command line. Exit codes: 0 graded, 1 usage error, 2 bad input (not a notebook, …).
import { Command } from "commander";
import * as fs from "fs";
import { InputError } from "./errors";
import { gradeNotebook } from "./grade";
import { buildAll } from "./notebook-build";
import { formatTable, gradescopeJson } from "./report";
import { closeTypeChecker } from "./typecheck";

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  const program = new Command("course").description("TypeScript neural-network course: grade notebooks, build exercise sets").exitOverride();
  program.configureOutput({ writeOut: (s) => out.write(s), writeErr: (s) => err.write(s) });
  program
    .command("grade")
    .description("grade one submitted notebook and print a Part / Score / Feedback table")
    .argument("<notebook>", "the submitted .ipynb")
    .option("--json <file>", "also write Gradescope results.json to FILE")
    .option("--section <name>", "exercise set to grade against (default: from the file name or notebook)")
    .option("--quiet", "no progress lines on stderr")
    .action(async (file: string, o: { json?: string; section?: string; quiet?: boolean }) => {
      const t0 = Date.now();
      const report = await gradeNotebook(file, { section: o.section, log: o.quiet ? undefined : (l) => err.write(`… ${l}\n`) });
      out.write(formatTable(report, process.stdout.columns ?? 100) + "\n");
      if (o.json) fs.writeFileSync(o.json, JSON.stringify(gradescopeJson(report), null, 2) + "\n");
      if (!o.quiet) err.write(`graded in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    });
  program
    .command("build")
    .description("regenerate the student notebooks and their public checks from exercises/ and solutions/")
    .action(async () => {
      for (const f of buildAll()) out.write(`wrote ${f}\n`);
    });
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof InputError) { err.write(`course: ${e.message}\n`); return e.exitCode; }
    if ((e as { code?: string }).code?.startsWith("commander.")) return (e as { exitCode: number }).exitCode;
    throw e;
  } finally {
    closeTypeChecker();
  }
  return 0;
}

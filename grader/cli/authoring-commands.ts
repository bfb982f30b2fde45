// The instructor's commands that need no service: build, verify, kernel, release, gradescope and
// similarity. Authoring (the TypeScript compiler) and integrity load only when one of them runs.
import type { Command } from "commander";
import * as fs from "fs";
import { collectSubmissions } from "../batch";
import { InputError, oneLine } from "../pipeline";
import { findSection, listSections, loadExerciseSet } from "../sections";
import { install as installKernel } from "../../notebooks/kernel/install.js";
import type { CliIo } from "./grade-command";
import { ensureSecret, rosterEmails } from "./learners";

// (`require`, not `import()`: under tsx's CommonJS hook, `import()` is Node's ESM loader, which knows no .ts.)
const authoring = async () => require("../authoring") as typeof import("../authoring");
const integrity = async () => require("../integrity") as typeof import("../integrity");

/** Registers the commands; `failed()` sets the exit code 1 (verify found problems). */
export function addAuthoringCommands(program: Command, { out, err, help }: CliIo, failed: () => void): void {
  program
    .command("build")
    .description("regenerate the student notebooks and their public checks from exercises/ and solutions/")
    .addHelpText("after", help)
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
    .addHelpText("after", help)
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
        if (r.problems.length) failed();
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
    .addHelpText("after", help)
    .action(async (action: string, o: { jupyter: string; replace?: boolean }) => {
      if (action !== "install") throw new InputError(`course kernel: unknown action "${action}" (known: install)`);
      try {
        out.write(`${installKernel(o.jupyter, { replace: o.replace })}\n`);
      } catch (e) {
        throw new InputError((e as Error).message);
      }
    });
  addReleaseCommands(program, { out, err, help });
}

/** The commands that hand the course out or look at what came back: release, gradescope, similarity. */
function addReleaseCommands(program: Command, { out, err, help }: CliIo): void {
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
    .addHelpText("after", help)
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
    .addHelpText("after", help)
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
    .addHelpText("after", help)
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
}

function percent(v: string): number {
  const n = Number(v.replace(/%$/, ""));
  if (!(n >= 0 && n <= 100)) throw new InputError(`--threshold needs a percentage from 0 to 100, got "${v}"`);
  return n / 100;
}

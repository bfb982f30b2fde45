// `course` — the command line. Exit codes: 0 done (whatever the scores), 1 usage error or a
// failed verify, 2 bad input (not a notebook, no submissions, …), 3 internal error.
import { Command } from "commander";
import { closeTypeChecker, InputError } from "../pipeline";
import { MachineBusy } from "../isolation";
import { addAuthoringCommands } from "./authoring-commands";
import { addGradeCommand } from "./grade-command";

// NOTE: authoring (the TypeScript compiler, ~0.6 s to load) and the service (Fastify, BullMQ, pg, ~0.5 s)
// are loaded only by the commands that use them: `course grade` starts in a fraction of a second.
// (`require`, not `import()`: under tsx's CommonJS hook, `import()` is Node's ESM loader, which knows no .ts.)
const service = async () => require("../service") as typeof import("../service");
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
  const io = { out, err, help: EXIT_CODES };
  addGradeCommand(program, io);
  addAuthoringCommands(program, io, () => void (exitCode = 1));
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

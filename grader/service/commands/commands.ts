// The service's commands of the `course` CLI: `serve`, `roster import | rotate | list` and `lti` (commands-lti.ts).
import { Command, Option } from "commander";
import * as fs from "fs";
import * as os from "os";
import { InputError } from "../../pipeline";
import { DEFAULT_HTTP_LIMITS } from "../http";
import { DEFAULT_KEEP_NOTEBOOKS } from "../queue";
import { importRoster, issuedCsv, rotateToken } from "../store";
import { addLtiCommands } from "./commands-lti";
import { serve, withStore } from "./serve";

interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  help: string;
}

const number = (flag: string, min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new InputError(`${flag} needs a number ≥ ${min}, got "${v}"`);
  return n;
};

export function addServiceCommands(program: Command, io: Io): void {
  addServeCommand(program, io);
  addRosterCommands(program, io);
  addLtiCommands(program, io);
}

interface ServeCliOptions {
  data: string;
  database?: string;
  redis?: string;
  port: number;
  host: string;
  keyFile?: string;
  jobs?: number;
  maxNotebookMb: number;
  perWindow: number;
  windowMinutes: number;
  maxQueue: number;
  maxPending: number;
  maxInFlightMb: number;
  maxKeptMb: number;
  keepNotebooks: number | "all";
  secretFile?: string;
  publicUrl?: string;
  ltiKeyFile?: string;
  ltiPassbackSeconds: number;
}

function addServeCommand(program: Command, io: Io): void {
  const serveCmd = program
    .command("serve")
    .description(
      "run the grading service: learners submit from their notebooks (submit()) or the web page, the instructor sees the gradebook",
    )
    .requiredOption(
      "--data <dir>",
      "the service's folder: its database (course.sqlite) and, by default, the instructor key",
    )
    .option("--port <n>", "port to listen on (0: any free port)", number("--port", 0), 8080)
    .option("--host <address>", "address to listen on (0.0.0.0 for every interface)", "127.0.0.1")
    .option("--database <url>", "keep the store in PostgreSQL (postgres://user@host/db) instead of SQLite in --data")
    .option("--redis <url>", "grade on BullMQ workers (course worker --redis URL) instead of this process's pool")
    .option(
      "--key-file <file>",
      "the instructor key's file, created (mode 600) if absent (default: DATA/instructor.key)",
    )
    .option(
      "--secret-file <file>",
      "the course's secret, which learners' variants are drawn from (default: COURSE_SECRET_FILE, else .course-secret in the project; made if absent)",
    )
    .option("--jobs <n>", "gradings at once on this machine (default: one per core)", number("--jobs", 1))
    .option(
      "--public-url <url>",
      "the service's URL as browsers and learning platforms reach it (LTI; default: where it listens)",
    )
    .option(
      "--lti-key-file <file>",
      "the LTI tool's private key, made (mode 600) if absent (default: DATA/lti-tool.pem)",
    )
    .option(
      "--lti-passback-seconds <n>",
      "how often scores are sent back to learning platforms",
      number("--lti-passback-seconds", 1),
      5,
    );
  limitOptions(serveCmd)
    .addHelpText("after", io.help)
    .action(async (o: ServeCliOptions) => {
      const log = (line: string) => io.err.write(`course serve: ${line}\n`);
      const running = await serve({
        data: o.data,
        database: o.database,
        redis: o.redis,
        port: o.port,
        host: o.host,
        keyFile: o.keyFile,
        publicUrl: o.publicUrl,
        ltiKeyFile: o.ltiKeyFile,
        ltiPassbackSeconds: o.ltiPassbackSeconds,
        secretFile: o.secretFile,
        jobs: o.jobs ?? os.availableParallelism(),
        limits: {
          maxNotebookBytes: Math.round(o.maxNotebookMb * 1048576),
          perWindow: o.perWindow,
          windowMs: o.windowMinutes * 60000,
          maxQueue: o.maxQueue,
          maxPendingPerLearner: o.maxPending,
          maxInFlightBytes: Math.round(o.maxInFlightMb * 1048576),
          maxInFlightBytesPerLearner: 2 * Math.round(o.maxNotebookMb * 1048576),
          maxStoredBytesPerLearner: Math.round(o.maxKeptMb * 1048576),
        },
        keepNotebooks: o.keepNotebooks === "all" ? undefined : o.keepNotebooks,
        log,
      });
      io.out.write(`${running.url}\n`);
      await untilSignal(log, "finishing the gradings under way, then stopping", running.close);
    });
}

/** The options of the service's limits (docs/service.md), each with its default. */
function limitOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option("--max-notebook-mb <n>", "larger notebooks are refused (413) before they are read")
        .argParser(number("--max-notebook-mb", 1))
        .default(DEFAULT_HTTP_LIMITS.maxNotebookBytes / 1048576),
    )
    .option(
      "--per-window <n>",
      "submissions one learner may make per window (then 429)",
      number("--per-window", 1),
      DEFAULT_HTTP_LIMITS.perWindow,
    )
    .option(
      "--window-minutes <n>",
      "the window of --per-window",
      number("--window-minutes", 1),
      DEFAULT_HTTP_LIMITS.windowMs / 60000,
    )
    .option(
      "--max-queue <n>",
      "submissions waiting or being graded beyond which new ones get 429",
      number("--max-queue", 1),
      DEFAULT_HTTP_LIMITS.maxQueue,
    )
    .option(
      "--max-pending <n>",
      "one learner's submissions waiting or being graded beyond which theirs get 429 (one learner cannot fill the queue)",
      number("--max-pending", 1),
      DEFAULT_HTTP_LIMITS.maxPendingPerLearner,
    )
    .option(
      "--max-in-flight-mb <n>",
      "bytes of uploads being received at once beyond which new ones get 429 (each learner: twice --max-notebook-mb)",
      number("--max-in-flight-mb", 1),
      DEFAULT_HTTP_LIMITS.maxInFlightBytes / 1048576,
    )
    .option(
      "--max-kept-mb <n>",
      "bytes of one learner's notebooks kept beyond which theirs get 413",
      number("--max-kept-mb", 1),
      DEFAULT_HTTP_LIMITS.maxStoredBytesPerLearner / 1048576,
    )
    .option(
      "--keep-notebooks <n>",
      'notebooks kept per learner and section once graded: the best and the last N ("all": every one); results are always kept',
      (v: string) => (v === "all" ? "all" : number("--keep-notebooks", 0)(v)),
      DEFAULT_KEEP_NOTEBOOKS,
    );
}

function addRosterCommands(program: Command, io: Io): void {
  const roster = program
    .command("roster")
    .description("the class list of the grading service: learners and their tokens");
  roster
    .command("import")
    .description(
      "add learners from a CSV (columns email, name): each new learner gets a token, printed once as CSV (email, name, token) for a mail merge",
    )
    .argument("<csv>", "the class list")
    .requiredOption("--data <dir>", "the service's folder (as given to course serve)")
    .option("--database <url>", "the service's PostgreSQL store (as given to course serve)")
    .option("--tokens <file>", "write the new tokens to FILE (mode 600) instead of standard output")
    .option("--rotate", "give learners already there a new token too")
    .addHelpText("after", io.help)
    .action(async (csvFile: string, o: { data: string; database?: string; tokens?: string; rotate?: boolean }) => {
      if (!fs.existsSync(csvFile)) throw new InputError(`roster: no such file ${csvFile}`);
      await withStore(o, async (store) => {
        const { issued, kept } = await importRoster(store, fs.readFileSync(csvFile, "utf8"), Date.now(), o);
        writeTokens(issued, o.tokens, io);
        io.err.write(
          `roster: ${issued.length} token${issued.length === 1 ? "" : "s"} issued${kept.length ? `, ${kept.length} learners already there kept theirs` : ""}\n`,
        );
      });
    });
  roster
    .command("rotate")
    .description("replace one learner's token (the old one stops working at once); prints the new one")
    .argument("<email>")
    .requiredOption("--data <dir>", "the service's folder")
    .option("--database <url>", "the service's PostgreSQL store")
    .option("--tokens <file>", "write the token to FILE (mode 600) instead of standard output")
    .addHelpText("after", io.help)
    .action(async (email: string, o: { data: string; database?: string; tokens?: string }) => {
      await withStore(o, async (store) => writeTokens([await rotateToken(store, email, Date.now())], o.tokens, io));
    });
  roster
    .command("list")
    .description("the learners (email, name); tokens are stored only as hashes and cannot be shown again")
    .requiredOption("--data <dir>", "the service's folder")
    .option("--database <url>", "the service's PostgreSQL store")
    .action(async (o: { data: string; database?: string }) => {
      await withStore(o, async (store) => {
        for (const l of await store.learners()) io.out.write(`${l.email}\t${l.name}\n`);
      });
    });
}

/** Runs until SIGTERM or SIGINT, then `close()` (logging why) and exits, whatever a library left open. */
export async function untilSignal(
  log: (line: string) => void,
  what: string,
  close: () => Promise<void>,
): Promise<void> {
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`${signal}: ${what}`);
      close().then(resolve, (e: Error) => {
        log(`stopping: ${e.message}`);
        resolve();
      });
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  // Everything is closed; a handle a library left open must not keep a stopped process alive.
  setTimeout(() => process.exit(), 3000).unref();
}

function writeTokens(issued: Parameters<typeof issuedCsv>[0], file: string | undefined, io: Io): void {
  const csv = issuedCsv(issued);
  if (!file) return void io.out.write(csv);
  try {
    fs.writeFileSync(file, csv, { mode: 0o600, flag: "wx" });
  } catch (e) {
    throw new InputError(
      `roster: cannot write ${file} (${(e as NodeJS.ErrnoException).code}): tokens are written once, to a new file`,
    );
  }
}

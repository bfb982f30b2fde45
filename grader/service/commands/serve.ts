// `course serve`: the grading service on this machine — the store (SQLite in the data folder), the
// grader's worker pool behind the in-process queue, and the HTTP app. On start it grades again what
// a previous run left queued or half-graded; on SIGTERM/SIGINT it stops taking requests, lets the
// gradings under way finish, and closes the store.
import * as fs from "fs";
import * as path from "path";
import { listSections, varyingSets } from "../../sections";
import { createGradingPool } from "../../batch";
import { DEFAULT_RUN_LIMITS, sandboxReport } from "../../isolation";
import { createServiceApp, type ServiceLimits } from "../http";
import { createPersonalNotebooks } from "./personal";
import { createSeedOf, secretOnce } from "./seeds";
import { createBullQueue, createLocalQueue, type GradingQueue } from "../queue";
import { createLtiTool, toolKeys } from "../lti";
import { createPostgresSql, createSqliteSql, createStore, instructorKey, type Store } from "../store";

export interface ServeOptions {
  data: string;
  /** PostgreSQL's URL (postgres://…): the store there instead of SQLite in the data folder. */
  database?: string;
  /** The course's secret, which learners' variants are drawn from (default SECRET_FILE: .course-secret in the project). */
  secretFile?: string;
  /** Redis's URL: grading on BullMQ workers (course worker) instead of this process's pool. */
  redis?: string;
  port: number;
  host: string;
  keyFile?: string;
  jobs: number;
  limits: ServiceLimits;
  /** Notebooks kept per learner and section besides the best, once graded; undefined keeps all. */
  keepNotebooks?: number;
  /** The service's URL as learning platforms and browsers reach it (LTI); default: the address it listens on. */
  publicUrl?: string;
  /** The LTI tool's private key (made, mode 600, if absent; default: DATA/lti-tool.pem). */
  ltiKeyFile?: string;
  /** How often scores are sent back to the platforms (seconds; default 5). */
  ltiPassbackSeconds?: number;
  log: (line: string) => void;
}

/** The store of a data folder (created if absent): SQLite, one file; or PostgreSQL's when `database` is given. */
export async function openStore(
  data: string,
  database?: string,
  log: (line: string) => void = () => undefined,
): Promise<Store> {
  if (database) return createStore(createPostgresSql(database, log));
  // A folder the service creates is its user's alone (700); one the instructor made keeps its mode.
  fs.mkdirSync(data, { recursive: true, mode: 0o700 });
  return createStore(createSqliteSql(path.join(data, "course.sqlite")));
}

/** Runs `f` on the store a command's --data / --database name, closed afterwards whatever happens. */
export async function withStore<T>(
  o: { data: string; database?: string },
  f: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await openStore(o.data, o.database);
  try {
    return await f(store);
  } finally {
    await store.close();
  }
}

export interface RunningService {
  url: string;
  close(): Promise<void>;
}

export async function serve(o: ServeOptions): Promise<RunningService> {
  const store = await openStore(o.data, o.database, o.log);
  const keyFile = o.keyFile ?? path.join(o.data, "instructor.key");
  const { key, created } = instructorKey(keyFile);
  const secret = secretOnce({ secretFile: o.secretFile, log: o.log });
  if (varyingSets().length) secret(); // a missing secret is made (and said) before any grading
  const seedOf = createSeedOf(store, secret);
  const queue: GradingQueue = o.redis
    ? await createBullQueue({
        redis: o.redis,
        store,
        seedOf,
        notebook: (id) => store.notebook(id),
        log: o.log,
        keepNotebooks: o.keepNotebooks,
      })
    : createLocalQueue({
        store,
        pool: createGradingPool({ jobs: o.jobs }),
        jobs: o.jobs,
        seedOf,
        log: o.log,
        keepNotebooks: o.keepNotebooks,
      });
  const personal = createPersonalNotebooks(secret);
  const lti = createLtiTool({
    store,
    keys: await toolKeys(o.ltiKeyFile ?? path.join(o.data, "lti-tool.pem"), o.log),
    publicUrl: o.publicUrl ?? "http://localhost", // the address listened on, once known (below)
    sections: listSections(),
    passbackEveryMs: (o.ltiPassbackSeconds ?? 5) * 1000,
    log: o.log,
  });
  const app = await createServiceApp({
    store,
    queue,
    key,
    sections: listSections(),
    limits: o.limits,
    now: Date.now,
    lti,
    ...(personal ? { personal } : {}),
  });
  const address = await app.listen({ port: o.port, host: o.host });
  const recovered = await queue.recover();
  const url = address.replace("[::1]", "localhost");
  if (!o.publicUrl) lti.publicUrl = url;
  lti.passback.start();
  const where = o.database ? `PostgreSQL ${o.database.replace(/\/\/[^@]*@/, "//…@")}` : path.resolve(o.data);
  const grading = o.redis
    ? "grading on BullMQ workers (course worker)"
    : `${o.jobs} grading worker${o.jobs > 1 ? "s" : ""}`;
  o.log(`listening on ${url} (store: ${where}; ${grading})`);
  o.log(`instructor key: ${created ? "created in" : "read from"} ${path.resolve(keyFile)} (pages: ${url}/instructor)`);
  if (!o.redis)
    o.log(sandboxReport({ memoryMb: DEFAULT_RUN_LIMITS.dataMb, cpuSeconds: DEFAULT_RUN_LIMITS.cpuSeconds }));
  if ((await store.lti.platforms()).length)
    o.log(`LTI: tool at ${lti.publicUrl} (registration: ${lti.publicUrl}/lti/config)`);
  if (recovered)
    o.log(`grading again ${recovered} submission${recovered > 1 ? "s" : ""} left unfinished by the last run`);
  let closing: Promise<void> | undefined;
  return {
    url,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await lti.passback.stop();
        await queue.close();
        await store.close();
      })()),
  };
}

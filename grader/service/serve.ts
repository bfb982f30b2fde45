// `course serve`: the grading service on this machine — the store (SQLite in the data folder), the
// grader's worker pool behind the in-process queue, and the HTTP app. On start it grades again what
// a previous run left queued or half-graded; on SIGTERM/SIGINT it stops taking requests, lets the
// gradings under way finish, and closes the store.
import * as fs from "fs";
import * as path from "path";
import { listSections } from "../expected";
import { createGradingPool } from "../pool";
import { createServiceApp, type ServiceLimits } from "./app";
import { createLocalQueue, type GradingQueue } from "./queue";
import { createSqliteSql } from "./sql";
import { createStore, type Store } from "./store";
import { instructorKey } from "./tokens";

export interface ServeOptions {
  data: string;
  port: number;
  host: string;
  keyFile?: string;
  jobs: number;
  limits: ServiceLimits;
  log: (line: string) => void;
}

/** The store of a data folder (created if absent): SQLite, one file. */
export async function openStore(data: string): Promise<Store> {
  fs.mkdirSync(data, { recursive: true });
  return createStore(createSqliteSql(path.join(data, "course.sqlite")));
}

export interface RunningService {
  url: string;
  close(): Promise<void>;
}

export async function serve(o: ServeOptions): Promise<RunningService> {
  const store = await openStore(o.data);
  const keyFile = o.keyFile ?? path.join(o.data, "instructor.key");
  const { key, created } = instructorKey(keyFile);
  const pool = createGradingPool({ jobs: o.jobs });
  const queue: GradingQueue = createLocalQueue({ store, pool, jobs: o.jobs, log: o.log });
  const app = await createServiceApp({ store, queue, key, sections: listSections(), limits: o.limits, now: Date.now });
  const address = await app.listen({ port: o.port, host: o.host });
  const recovered = await queue.recover();
  const url = address.replace("[::1]", "localhost");
  o.log(`listening on ${url} (data: ${path.resolve(o.data)}; ${o.jobs} grading worker${o.jobs > 1 ? "s" : ""})`);
  o.log(`instructor key: ${created ? "created in" : "read from"} ${path.resolve(keyFile)} (pages: ${url}/instructor)`);
  if (recovered)
    o.log(`grading again ${recovered} submission${recovered > 1 ? "s" : ""} left unfinished by the last run`);
  let closing: Promise<void> | undefined;
  return {
    url,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await queue.close();
        await store.close();
      })()),
  };
}

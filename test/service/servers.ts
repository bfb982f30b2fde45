// Real Redis and PostgreSQL for the tests of grading across machines: Debian's redis-server (with
// its append-only file) and PostgreSQL, each started by the test on 127.0.0.1 and a free port, in a
// temp folder, and stopped by it. PostgreSQL runs as an unprivileged user (it refuses root).
import { execFileSync, spawn, spawnSync, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { timeScale } from "../../grader/isolation";
import { createPostgresSql, createSqliteSql, createStore, type Store } from "../../grader/service";
import { tmpDir } from "./harness";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms * timeScale();
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = net.connect(port, "127.0.0.1");
    c.once("connect", () => (c.destroy(), resolve(true)));
    c.once("error", () => resolve(false));
  });

export interface Redis {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** redis-server on a free port, every write appended to its AOF and fsynced before it answers. */
export async function startRedis(): Promise<Redis> {
  if (!fs.existsSync("/usr/bin/redis-server"))
    throw new Error("no /usr/bin/redis-server: npm run setup installs Debian's");
  const dir = tmpDir("course-redis-");
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const r: Redis = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      proc = spawn(
        "/usr/bin/redis-server",
        [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--dir",
          dir,
          "--appendonly",
          "yes",
          "--appendfsync",
          "always",
          "--save",
          "",
          "--protected-mode",
          "yes",
        ],
        { stdio: "ignore" },
      );
      await until("redis-server listening", () => accepts(port));
    },
    async stop() {
      const p = proc;
      if (!p || p.exitCode !== null) return;
      p.kill("SIGTERM"); // a clean shutdown: the AOF is complete
      await new Promise((res) => p.once("exit", res));
    },
  };
  await r.start();
  return r;
}

export interface Postgres {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** PostgreSQL in a temp folder, as the `postgres` user (or nobody), on a free port of 127.0.0.1. */
export async function startPostgres(): Promise<Postgres> {
  const bin = fs.existsSync("/usr/lib/postgresql")
    ? fs
        .readdirSync("/usr/lib/postgresql")
        .map((v) => path.join("/usr/lib/postgresql", v, "bin"))
        .find((b) => fs.existsSync(path.join(b, "initdb")))
    : undefined;
  if (!bin) throw new Error("no PostgreSQL (/usr/lib/postgresql/*/bin/initdb): npm run setup installs Debian's");
  const root = process.getuid?.() === 0;
  const user = root ? (spawnSync("id", ["postgres"]).status === 0 ? "postgres" : "nobody") : undefined;
  const as = (cmd: string, args: string[]) =>
    user
      ? execFileSync("runuser", ["-u", user, "--", cmd, ...args], { stdio: "pipe" })
      : execFileSync(cmd, args, { stdio: "pipe" });
  const dir = tmpDir("course-postgres-");
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, "data"),
    sockets = path.join(dir, "run");
  fs.mkdirSync(sockets);
  if (user) execFileSync("chown", ["-R", user, dir]);
  const port = await freePort();
  as(path.join(bin, "initdb"), ["-D", data, "-U", "course", "--auth=trust", "-E", "UTF8", "--locale=C"]);
  const pgCtl = (action: string, extra: string[] = []) =>
    as(path.join(bin, "pg_ctl"), ["-D", data, "-l", path.join(dir, "log"), "-w", "-t", "60", ...extra, action]);
  const pg: Postgres = {
    url: `postgres://course@127.0.0.1:${port}/course`,
    async start() {
      pgCtl("start", ["-o", `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c fsync=on`]);
    },
    async stop() {
      pgCtl("stop", ["-m", "fast"]);
    },
  };
  await pg.start();
  as(path.join(bin, "createdb"), ["-h", "127.0.0.1", "-p", String(port), "-U", "course", "course"]);
  return pg;
}

/**
 * A suite's two store engines: SQLite in a temp folder and a real PostgreSQL started for the suite
 * (stopped after it), each opened fresh by the suite's own beforeAll, for `describe.each`.
 */
export function storeEngines(prefix: string): [string, () => Promise<Store>][] {
  let postgres: Postgres | undefined;
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await postgres?.stop();
  });
  return [
    ["SQLite", () => createStore(createSqliteSql(path.join(tmpDir(prefix), "course.sqlite")))],
    ["PostgreSQL", () => createStore(createPostgresSql(postgres!.url, () => undefined))],
  ];
}

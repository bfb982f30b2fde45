// The little the store needs of a SQL database, so that one store (store.ts) runs on SQLite
// (better-sqlite3, the default: one file in the data folder) and on PostgreSQL (node-postgres,
// sql-postgres.ts) with the same statements. Statements are written with `?` placeholders; the
// PostgreSQL driver numbers them.
import Database from "better-sqlite3";
import * as fs from "fs";

export interface SqlRunner {
  /** The rows a statement returns (column names as written in the SQL, snake_case; numbers as numbers, BIGINT included). */
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement; how many rows it changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
}
export interface Sql extends SqlRunner {
  readonly dialect: "sqlite" | "postgres";
  /** Runs `fn` in one transaction: all of its statements or none. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

export function createSqliteSql(file: string): Sql {
  // Every submitted notebook and token hash is in it: readable by the service's user alone. SQLite
  // gives its -wal and -shm files the database file's mode; files from older runs are narrowed too.
  for (const f of [file, `${file}-wal`, `${file}-shm`])
    if (fs.existsSync(f) || f === file) {
      fs.closeSync(fs.openSync(f, "a", 0o600));
      fs.chmodSync(f, 0o600);
    }
  const db = new Database(file);
  // NOTE: WAL lets pages read while a result is written; synchronous=FULL makes each commit durable
  // before the service answers (a submission acknowledged with 202 survives a power cut).
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const runner: SqlRunner = {
    all: async <T>(sql: string, params: unknown[] = []) => prepared(sql).all(...params) as T[],
    run: async (sql, params = []) => prepared(sql).run(...params).changes,
  };
  let inTransaction = false;
  return {
    dialect: "sqlite",
    ...runner,
    // NOTE: better-sqlite3 answers synchronously, so the awaits inside `fn` (on this runner only)
    // resolve as microtasks: no other request's statement can run between BEGIN and COMMIT.
    async transaction(fn) {
      if (inTransaction) throw new Error("store: nested transaction");
      inTransaction = true;
      db.exec("BEGIN IMMEDIATE");
      try {
        const r = await fn(runner);
        db.exec("COMMIT");
        return r;
      } catch (e) {
        db.exec("ROLLBACK");
        throw e;
      } finally {
        inTransaction = false;
      }
    },
    async exec(script) {
      db.exec(script);
    },
    async close() {
      db.close();
    },
  };
}

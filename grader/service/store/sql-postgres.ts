// The store on PostgreSQL (node-postgres): the same statements as SQLite, with `?` placeholders
// numbered for PostgreSQL, so several `course serve` processes can share one database behind a
// load balancer. While the database is unreachable, statements fail (the API answers 503, results
// are kept in their queue and stored later); the pool reconnects by itself.
import pg from "pg";
import type { Sql, SqlRunner } from "./sql";

// BIGINT (times in ms, counts) comes back as a JavaScript number: every value here is below 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v));

/** `?` placeholders (outside quotes) as PostgreSQL's $1, $2, … */
export function numbered(sql: string): string {
  let n = 0,
    quoted = false,
    out = "";
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted;
    out += ch === "?" && !quoted ? `$${++n}` : ch;
  }
  return out;
}

/** The database is unreachable (connection refused, reset, shut down): the caller may try again later. */
export function isUnavailable(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? "";
  return (
    ["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "57P01", "57P02", "57P03", "08006", "08001", "08003"].includes(
      code,
    ) ||
    /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(
      (e as Error)?.message ?? "",
    )
  );
}

export function createPostgresSql(url: string, log: (line: string) => void = () => undefined): Sql {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30000 });
  // An idle client whose server went away: the pool drops it and connects anew on the next query.
  pool.on("error", (e) => log(`database connection lost: ${e.message}`));
  const runnerOf = (q: pg.Pool | pg.PoolClient): SqlRunner => ({
    all: async <T>(sql: string, params: unknown[] = []) => (await q.query(numbered(sql), params)).rows as T[],
    run: async (sql, params = []) => (await q.query(numbered(sql), params)).rowCount ?? 0,
  });
  return {
    dialect: "postgres",
    ...runnerOf(pool),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const r = await fn(runnerOf(client));
        await client.query("COMMIT");
        return r;
      } catch (e) {
        await client.query("ROLLBACK").catch((rollback: Error) => (broken = rollback));
        throw e;
      } finally {
        client.release(broken); // a connection that could not even roll back is dropped, not reused
      }
    },
    async exec(script) {
      await pool.query(script);
    },
    async close() {
      await pool.end();
    },
  };
}

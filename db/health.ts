import type { Sql } from "./client.ts";

/**
 * One query that proves the database answers and says how many migrations it
 * has; `undefined` when it fails or does not answer within 2 s, so `/healthz`
 * says 503 instead of hanging behind a dead connection.
 */
export async function getHealth(sql: Sql): Promise<{ migrations: number } | undefined> {
  const query = sql<{ migrations: number }[]>`select count(*)::int as migrations from schema_migrations`;
  query.catch(() => {}); // after a timeout nobody awaits it: its late rejection must not go unhandled
  let timer: number | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, 2000)));
  try {
    const rows = await Promise.race([query, timeout]);
    if (!rows) query.cancel();
    return rows?.[0];
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

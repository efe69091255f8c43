/**
 * "A rejected request changed nothing", judged inside the test's own database.
 *
 * The next transaction id (`pg_current_snapshot()`) is a quick first look, but
 * it belongs to the whole cluster: autovacuum's ANALYZE and the other test
 * files' databases take transaction ids at any moment, and a check on it
 * alone failed at random in CI. So when it moved, the tables decide: the row
 * count and the newest `xmin` of every table in this database (an insert, an
 * update or a delete changes one of the two).
 */
import type { Sql } from "@/db/client.ts";

/** The cluster's next transaction id: unchanged means no transaction anywhere wrote. */
export async function nextXid(sql: Sql): Promise<bigint> {
  const [row] = await sql`select pg_snapshot_xmax(pg_current_snapshot())::text as xid`;
  return BigInt(row.xid);
}

/** Row count and newest xmin of every table in the public schema, in one statement. */
export async function tableFingerprint(sql: Sql): Promise<Map<string, string>> {
  const tables = await sql<{ name: string }[]>`
    select c.relname::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' order by 1`;
  const rows = await sql.unsafe<{ name: string; f: string }[]>(
    tables.map(({ name }) =>
      `select '${name}' as name,
              count(*)::text || '/' || coalesce(max(xmin::text::bigint), 0)::text as f from public."${name}"`
    ).join(" union all "),
  );
  return new Map(rows.map((r) => [r.name, r.f]));
}

/** The tables whose fingerprint differs between two snapshots. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}

/**
 * Runs `action` and names the tables of this database it wrote to.
 *
 * @example
 * const { tables } = await tablesWrittenBy(db.sql, () => postEvent(url, forged));
 * assert.deepEqual(tables, []);
 */
export async function tablesWrittenBy<T>(
  sql: Sql,
  action: () => Promise<T>,
): Promise<{ value: T; tables: string[] }> {
  const xid = await nextXid(sql);
  const before = await tableFingerprint(sql);
  const value = await action();
  if ((await nextXid(sql)) === xid) return { value, tables: [] };
  return { value, tables: changedTables(before, await tableFingerprint(sql)) };
}

/**
 * What the database spent its time on during one benchmark section, from
 * pg_stat_statements (loaded by the bench PostgreSQL): the note beside a number
 * then names its limit without a separate profiling run.
 */
import postgres from "postgres";

export interface TopStatement {
  /** False for a statement run inside a function or trigger (with pg_stat_statements.track = all). */
  toplevel: boolean;
  calls: number;
  mean_ms: number;
  total_ms: number;
  query: string;
}

/** Clears the statistics; false when pg_stat_statements is not there (no note then). */
export async function resetStatements(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_stat_statements_reset()`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end();
  }
}

/** The statements of this database with the most execution time since the reset. */
export async function topStatements(url: string, limit = 3): Promise<TopStatement[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<TopStatement[]>`
      select toplevel, calls::int, round(mean_exec_time::numeric, 2)::float8 as mean_ms,
             round(total_exec_time::numeric)::float8 as total_ms,
             regexp_replace(left(query, 400), '\\s+', ' ', 'g') as query
      from pg_stat_statements
      where dbid = (select oid from pg_database where datname = current_database())
        and query !~* '^\\s*(begin|commit|select pg_stat_statements_reset)'
      order by total_exec_time desc
      limit ${limit}::int`;
    return rows;
  } catch {
    return [];
  } finally {
    await sql.end();
  }
}

/** "most time: <statement> (N calls, M ms mean)" for a measurement's note. */
export function describeTop(top: TopStatement[]): string {
  const [first] = top;
  if (!first) return "";
  return `most database time: "${
    first.query.slice(0, 90)
  }..." (${first.calls} calls, ${first.mean_ms} ms mean, ` +
    `${Math.round(first.total_ms / 1000)} s in all)`;
}

/** The execution time of every statement of this database since the reset, ms (null without the extension). */
export async function statementTotalMs(url: string): Promise<number | null> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ ms: number }[]>`
      select coalesce(sum(total_exec_time), 0)::float8 as ms from pg_stat_statements
      where dbid = (select oid from pg_database where datname = current_database()) and toplevel
        and query !~* '^\\s*select pg_stat_statements_reset'`;
    return row.ms;
  } catch {
    return null;
  } finally {
    await sql.end();
  }
}

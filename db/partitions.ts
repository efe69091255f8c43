/**
 * Monthly partitions of `outreach` (migration 0030). The SQL functions do the
 * work in one transaction each; these wrappers are what the job and the admin
 * stats call.
 */
import type { Sql } from "./client.ts";

export interface CreatedPartition {
  partition_name: string;
  rows_moved: number;
}

export interface OutreachPartition {
  name: string;
  /** `FOR VALUES FROM (...) TO (...)` or `DEFAULT`. */
  bound: string;
  rows: number;
}

/**
 * Creates the partitions from this month through `monthsAhead` months ahead, and
 * one for every month whose rows wait in the DEFAULT partition (moving them).
 * Idempotent: returns only what this call created.
 */
export async function maintainOutreachPartitions(sql: Sql, monthsAhead = 3): Promise<CreatedPartition[]> {
  const rows = await sql<CreatedPartition[]>`
    select partition_name::text as partition_name, rows_moved::int as rows_moved
    from maintain_outreach_partitions(${monthsAhead}::int)`;
  return rows.map((row) => ({ partition_name: row.partition_name, rows_moved: row.rows_moved }));
}

/**
 * The partitions of `outreach` with their bounds and (estimated, from the
 * statistics) row counts, oldest first; the DEFAULT partition last. Estimates
 * keep this cheap on a large table.
 */
export async function listOutreachPartitions(sql: Sql): Promise<OutreachPartition[]> {
  const rows = await sql<OutreachPartition[]>`
    select c.relname::text as name,
           pg_get_expr(c.relpartbound, c.oid)::text as bound,
           greatest(c.reltuples, 0)::bigint::int as rows
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'outreach'::regclass
    order by (pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT')::int, c.relname`;
  return rows.map((row) => ({ name: row.name, bound: row.bound, rows: row.rows }));
}

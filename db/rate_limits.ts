/**
 * Fixed-window rate-limit counters in PostgreSQL, shared by every app process. One upsert per hit both
 * counts and, when the window has passed, starts a new one, so concurrent hits never lose a count.
 */
import type { Sql } from "./client.ts";

export interface HitResult {
  hits: number;
  /** Seconds until the current window ends. */
  resetIn: number;
}

/** Counts one hit in `bucket` for a window of `windowSeconds`. */
export async function hitRateLimit(sql: Sql, bucket: string, windowSeconds: number): Promise<HitResult> {
  const [row] = await sql<{ hits: number; reset_in: number }[]>`
    insert into rate_limits as r (bucket, window_start, hits)
    values (${bucket.slice(0, 300)}::varchar, now(), 1)
    on conflict (bucket) do update set
      hits = case when r.window_start <= now() - make_interval(secs => ${windowSeconds}::int) then 1
                  else r.hits + 1 end,
      window_start = case when r.window_start <= now() - make_interval(secs => ${windowSeconds}::int) then now()
                          else r.window_start end
    returning hits,
      greatest(1, ceil(extract(epoch from (window_start + make_interval(secs => ${windowSeconds}::int) - now()))))::int
        as reset_in`;
  return { hits: row.hits, resetIn: row.reset_in };
}

/** The current count of `bucket` without counting a hit (0 when its window has passed). */
export async function peekRateLimit(sql: Sql, bucket: string, windowSeconds: number): Promise<HitResult> {
  const [row] = await sql<{ hits: number; reset_in: number }[]>`
    select hits,
      greatest(1, ceil(extract(epoch from (window_start + make_interval(secs => ${windowSeconds}::int) - now()))))::int
        as reset_in
    from rate_limits
    where bucket = ${bucket.slice(0, 300)}::varchar
      and window_start > now() - make_interval(secs => ${windowSeconds}::int)`;
  return row ? { hits: row.hits, resetIn: row.reset_in } : { hits: 0, resetIn: 0 };
}

/** Forgets a bucket (a successful login clears its email's failures). */
export async function clearRateLimit(sql: Sql, bucket: string): Promise<void> {
  await sql`delete from rate_limits where bucket = ${bucket.slice(0, 300)}::varchar`;
}

/** Housekeeping: drops windows older than a day. */
export async function deleteOldRateLimits(sql: Sql): Promise<number> {
  const rows =
    await sql`delete from rate_limits where window_start < now() - interval '1 day' returning bucket`;
  return rows.length;
}

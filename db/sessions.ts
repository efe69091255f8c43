/**
 * Sessions: one row per sign-in, holding only the SHA-256 of the opaque token. Read and written on the
 * owner pool (authentication runs before a user is known); app_user has no grant on the table.
 */
import type { Sql } from "./client.ts";
import type { PoolInputs } from "@/core/match_pools.ts";

/** The signed-in user a live session names (web/state.ts's `SessionUser`). */
export interface SessionUserRow {
  id: number;
  email: string;
  full_name: string | null;
  mode: string;
  timezone: string | null;
}

export const SESSION_DAYS = 30;

/** Stores a new session for `userId`; the caller keeps the raw token. */
export async function createSession(sql: Sql, input: {
  userId: number;
  tokenHash: string;
  userAgent: string | null;
  ip: string | null;
}): Promise<{ id: string; expires_at: Date }> {
  const [row] = await sql<{ id: string; expires_at: Date }[]>`
    insert into sessions (user_id, token_hash, expires_at, user_agent, ip)
    values (${input.userId}::int, ${input.tokenHash}::char(64), now() + make_interval(days => ${SESSION_DAYS}::int),
            ${input.userAgent?.slice(0, 500) ?? null}::varchar, ${input.ip?.slice(0, 64) ?? null}::varchar)
    returning id::text, expires_at`;
  return row;
}

/** The user of a live (not revoked, not expired) session, found by token hash. */
export async function findSessionUser(
  sql: Sql,
  tokenHash: string,
): Promise<
  | { sessionId: string; user: SessionUserRow; wroteLsn: string | null; matchPool: PoolInputs | null }
  | undefined
> {
  // Also moves `last_seen_at` (shown in /account), at most every five minutes, in the same round trip, and
  // reads the best-match pools' inputs the user's last profile save kept (migration 0098; null: none kept),
  // which the job search plans its first round trip with (db/jobs.ts `JobSearch.pool`).
  const [row] = await sql<
    (SessionUserRow & {
      session_id: string;
      wrote_lsn: string | null;
      pool_skills: string[] | null;
      pool_roles: string | null;
    })[]
  >`
    with found as (
      select s.id as sid, s.wrote_lsn, a.last_seen_at, u.id, u.email, u.full_name, u.mode, u.timezone,
             m.pool_skills, m.pool_roles
      from sessions s join users u on u.id = s.user_id left join session_activity a on a.session_id = s.id
      left join match_candidate_state m on m.user_id = u.id
      where s.token_hash = ${tokenHash}::char(64) and s.revoked_at is null and s.expires_at > now()
    ), touched as (
      insert into session_activity as a (session_id, last_seen_at)
      select sid, now() from found where found.last_seen_at is null or found.last_seen_at < now() - interval '5 minutes'
      on conflict (session_id) do update set last_seen_at = excluded.last_seen_at
    )
    select sid::text as session_id, id, email, full_name, mode, timezone, wrote_lsn::text as wrote_lsn,
           pool_skills, pool_roles
    from found`;
  if (!row) return undefined;
  return {
    sessionId: row.session_id,
    user: { id: row.id, email: row.email, full_name: row.full_name, mode: row.mode, timezone: row.timezone },
    wroteLsn: row.wrote_lsn,
    matchPool: row.pool_skills === null ? null : { skills: row.pool_skills, roles: row.pool_roles },
  };
}

/** Read-your-writes with replicas (db/replicas.ts): the primary's WAL position after this session's write. */
export async function stampSessionWrite(sql: Sql, sessionId: string): Promise<void> {
  await sql`update sessions set wrote_lsn = pg_current_wal_lsn() where id = ${sessionId}::bigint`;
}

/** Ends a session server-side: its token stops working at once, everywhere. */
export async function revokeSession(sql: Sql, sessionId: string): Promise<boolean> {
  const rows = await sql`
    update sessions set revoked_at = now() where id = ${sessionId}::bigint and revoked_at is null returning id`;
  return rows.length > 0;
}

/** Housekeeping: drops sessions that ended more than a week ago. */
export async function deleteEndedSessions(sql: Sql): Promise<number> {
  const rows = await sql`
    delete from sessions
    where expires_at < now() - interval '7 days' or revoked_at < now() - interval '7 days'
    returning id`;
  return rows.length;
}

/**
 * Admin sessions of the admin pages (services/accounts/admin_session.ts): only the SHA-256 of the cookie's token is
 * stored. Owner pool only; app_user has no grant on the table.
 */
import type { Sql } from "./client.ts";

/** Stores a new admin session; the caller keeps the raw token. */
export async function createAdminSession(sql: Sql, input: {
  tokenHash: string;
  fingerprint: string;
  seconds: number;
  ip: string | null;
}): Promise<void> {
  await sql`
    insert into admin_sessions (token_hash, token_fingerprint, expires_at, ip)
    values (${input.tokenHash}::char(64), ${input.fingerprint}::char(64),
            now() + make_interval(secs => ${input.seconds}::int), ${
    input.ip?.slice(0, 64) ?? null
  }::varchar)`;
}

/** True when the token hash belongs to a live admin session made under the current admin token. */
export async function isLiveAdminSession(sql: Sql, tokenHash: string, fingerprint: string): Promise<boolean> {
  const rows = await sql`
    select 1 from admin_sessions
    where token_hash = ${tokenHash}::char(64) and token_fingerprint = ${fingerprint}::char(64)
      and revoked_at is null and expires_at > now()`;
  return rows.length > 0;
}

/** Ends the admin session with this token hash ("Sign out of admin"). */
export async function revokeAdminSession(sql: Sql, tokenHash: string): Promise<boolean> {
  const rows = await sql`
    update admin_sessions set revoked_at = now()
    where token_hash = ${tokenHash}::char(64) and revoked_at is null returning id`;
  return rows.length > 0;
}

/** Housekeeping: drops admin sessions that ended more than a week ago. */
export async function deleteEndedAdminSessions(sql: Sql): Promise<number> {
  const rows = await sql`
    delete from admin_sessions
    where expires_at < now() - interval '7 days' or revoked_at < now() - interval '7 days'
    returning id`;
  return rows.length;
}

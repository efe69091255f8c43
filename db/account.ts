/**
 * Account settings (issue 14): profile, email and password changes, sessions, and deleting the account.
 * Profile columns are written under row-level security (`withUser`); the email, the password and the deletion
 * run on the owner pool, because app_user may not write those columns or the owner-only tables they touch.
 */
import { type Sql, withUser } from "./client.ts";
import { getMeTx, normalizeEmail, type PublicUser } from "./users.ts";
import { HttpError } from "@/core/http_error.ts";

/** Sets `full_name` and `timezone` (RLS); answers the user. */
export async function updateProfile(
  sql: Sql,
  userId: number,
  input: { full_name?: string; timezone?: string },
): Promise<PublicUser> {
  return await withUser(sql, userId, async (tx) => {
    if (input.full_name !== undefined || input.timezone !== undefined) {
      await tx`
        update users set full_name = coalesce(${input.full_name ?? null}::varchar, full_name),
                         timezone = coalesce(${input.timezone ?? null}::varchar, timezone)
        where id = ${userId}::int`;
    }
    const me = await getMeTx(tx, userId);
    if (!me) throw new HttpError(401, "sign in required");
    return me;
  });
}

/**
 * Moves the account to a new address, unverified until its link is followed (outreach waits meanwhile).
 * Answers the old address, or undefined when nothing changed. 409 when another account has the address.
 */
export async function changeEmail(
  sql: Sql,
  userId: number,
  email: string,
): Promise<{ old: string } | undefined> {
  const next = normalizeEmail(email);
  try {
    return await sql.begin(async (tx) => {
      const [current] = await tx<
        { email: string }[]
      >`select email from users where id = ${userId}::int for update`;
      if (!current) throw new HttpError(401, "sign in required");
      if (current.email === next) return undefined;
      await tx`update users set email = ${next}::varchar, email_verified = false where id = ${userId}::int`;
      // links for the old address (verification, reset) stop working
      await tx`delete from account_tokens where user_id = ${userId}::int and used_at is null`;
      return { old: current.email };
    });
  } catch (error) {
    if ((error as { code?: string }).code === "23505") {
      throw new HttpError(409, "another account uses this email", {
        code: "email_taken",
        fields: { email: "already registered" },
      });
    }
    throw error;
  }
}

/** The stored hash, for the current-password check. */
export async function getPasswordHash(sql: Sql, userId: number): Promise<string | null> {
  const [row] = await sql<{ hashed_password: string | null }[]>`
    select hashed_password from users where id = ${userId}::int`;
  return row?.hashed_password ?? null;
}

/**
 * Stores a new password hash, kills unused reset links and ends every session but `keepSessionId`, in one
 * transaction.
 */
export async function setPassword(
  sql: Sql,
  userId: number,
  newHash: string,
  keepSessionId: string | undefined,
): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`update users set hashed_password = ${newHash}::varchar where id = ${userId}::int`;
    await tx`delete from account_tokens where user_id = ${userId}::int and purpose = 'password_reset'
               and used_at is null`;
    await tx`update sessions set revoked_at = now()
             where user_id = ${userId}::int and revoked_at is null
               and id is distinct from ${keepSessionId ?? null}::bigint`;
  });
}

export interface SessionRow {
  id: string;
  created_at: Date;
  last_seen_at: Date | null;
  user_agent: string | null;
  current: boolean;
}

/** The user's live sessions, newest first. */
export async function listSessions(
  sql: Sql,
  userId: number,
  currentId: string | undefined,
): Promise<SessionRow[]> {
  return await sql<SessionRow[]>`
    select s.id::text, s.created_at, coalesce(a.last_seen_at, s.created_at) as last_seen_at, s.user_agent,
           s.id = ${currentId ?? null}::bigint is true as current
    from sessions s left join session_activity a on a.session_id = s.id
    where s.user_id = ${userId}::int and s.revoked_at is null and s.expires_at > now()
    order by s.created_at desc, s.id desc`;
}

/** Ends one of the user's own sessions; false when it is not theirs or already ended. */
export async function endSession(sql: Sql, userId: number, sessionId: number): Promise<boolean> {
  const rows = await sql`
    update sessions set revoked_at = now()
    where id = ${sessionId}::bigint and user_id = ${userId}::int and revoked_at is null returning id`;
  return rows.length > 0;
}

/**
 * Deletes the account and everything of it, in one transaction (docs/accounts.md lists what stays):
 * the user row, and through its foreign keys the resume, preferences, applications with all their outreach,
 * own sequences, sessions, links, send charges and usage counters; besides, the development outbox's
 * messages to the user and of the user's outreach, and the rate-limit windows naming the address or the id.
 * Stays: contacts (shared per company) with their opt-outs, and provider events (mailbox reputation).
 */
export async function deleteAccount(sql: Sql, userId: number): Promise<void> {
  await sql.begin(async (tx) => {
    const [user] = await tx<
      { email: string }[]
    >`select email from users where id = ${userId}::int for update`;
    if (!user) return;
    const email = normalizeEmail(user.email);
    await tx`
      delete from outbox_messages
      where lower(to_email) = ${email}::text
         or outreach_token in (select o.outreach_token from outreach o join applications a on a.id = o.application_id
                               where a.user_id = ${userId}::int)`;
    await tx`
      delete from rate_limits
      where right(bucket, ${email.length + 1}::int) = ${":" + email}::text
         or strpos(bucket, ${":" + email + "|"}::text) > 0
         or right(bucket, ${String(userId).length + 6}::int) = ${":user:" + userId}::text`;
    await tx`delete from users where id = ${userId}::int`;
  });
}

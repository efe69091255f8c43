/**
 * Password-reset and email-verification links (`account_tokens`): only the SHA-256 of each random token is
 * stored; a token is used at most once (`used_at`, set by the statement that checks it). Owner pool: links
 * are followed before anyone is signed in.
 */
import type { Sql } from "./client.ts";
import { normalizeEmail } from "./users.ts";

export type TokenPurpose = "password_reset" | "verify_email";

export const RESET_TOKEN_MINUTES = 60;
export const VERIFY_TOKEN_HOURS = 48;

/**
 * Stores a reset token for the account of `email`, when there is one, in one statement whichever the case
 * (the answer's timing must not tell). Answers the account's address and name, or undefined.
 */
export async function issueResetToken(
  sql: Sql,
  email: string,
  tokenHash: string,
): Promise<{ user_id: number; email: string; full_name: string | null } | undefined> {
  const [row] = await sql<{ user_id: number; email: string; full_name: string | null }[]>`
    with u as (select id, email, full_name from users where lower(email) = ${normalizeEmail(email)}::text),
    t as (
      insert into account_tokens (user_id, purpose, token_hash, email, expires_at)
      select id, 'password_reset', ${tokenHash}::char(64), email,
             now() + make_interval(mins => ${RESET_TOKEN_MINUTES}::int)
      from u
      returning user_id
    )
    select u.id as user_id, u.email, u.full_name from u join t on t.user_id = u.id`;
  return row;
}

/** Stores a verification token proving `email` for `userId`. */
export async function issueVerifyToken(
  sql: Sql,
  userId: number,
  email: string,
  tokenHash: string,
): Promise<void> {
  await sql`
    insert into account_tokens (user_id, purpose, token_hash, email, expires_at)
    values (${userId}::int, 'verify_email', ${tokenHash}::char(64), ${normalizeEmail(email)}::varchar,
            now() + make_interval(hours => ${VERIFY_TOKEN_HOURS}::int))`;
}

/**
 * Resets the password with a reset token, all in one transaction: uses the token (unused, unexpired), stores
 * the new hash, kills the user's other reset links and ends every session. Answers the user id, or undefined
 * for a used, expired or unknown token (nothing changes then).
 */
export async function resetPasswordWithToken(
  sql: Sql,
  tokenHash: string,
  newHash: string,
): Promise<number | undefined> {
  return await sql.begin(async (tx) => {
    const [token] = await tx<{ user_id: number }[]>`
      update account_tokens set used_at = now()
      where token_hash = ${tokenHash}::char(64) and purpose = 'password_reset'
        and used_at is null and expires_at > now()
      returning user_id`;
    if (!token) return undefined;
    await tx`update users set hashed_password = ${newHash}::varchar where id = ${token.user_id}::int`;
    await tx`delete from account_tokens where user_id = ${token.user_id}::int and purpose = 'password_reset'
               and used_at is null`;
    await tx`update sessions set revoked_at = now() where user_id = ${token.user_id}::int and revoked_at is null`;
    return token.user_id;
  });
}

export type VerifyOutcome =
  | { ok: true; user_id: number }
  | { ok: false; reason: "invalid" | "other_account" | "email_changed" };

/**
 * Marks the address verified with a verification token. `signedInAs`: when the caller is signed in, a link of
 * another account is refused without using it up. A link for an address the account no longer has is used up
 * and refused.
 */
export async function verifyEmailWithToken(
  sql: Sql,
  tokenHash: string,
  signedInAs?: number,
): Promise<VerifyOutcome> {
  return await sql.begin(async (tx) => {
    const [token] = await tx<{ id: number; user_id: number; email: string }[]>`
      select id::int, user_id, email from account_tokens
      where token_hash = ${tokenHash}::char(64) and purpose = 'verify_email'
        and used_at is null and expires_at > now()
      for update`;
    if (!token) return { ok: false, reason: "invalid" } as const;
    if (signedInAs !== undefined && signedInAs !== token.user_id) {
      return { ok: false, reason: "other_account" } as const;
    }
    await tx`update account_tokens set used_at = now() where id = ${token.id}::int`;
    const updated = await tx`
      update users set email_verified = true
      where id = ${token.user_id}::int and lower(email) = ${token.email}::text returning id`;
    if (!updated.length) return { ok: false, reason: "email_changed" } as const;
    return { ok: true, user_id: token.user_id } as const;
  });
}

/** Housekeeping: drops links that expired or were used more than a week ago. */
export async function deleteOldAccountTokens(sql: Sql): Promise<number> {
  const rows = await sql`
    delete from account_tokens
    where expires_at < now() - interval '7 days' or used_at < now() - interval '7 days' returning id`;
  return rows.length;
}

/**
 * Accounts. Signup and login run on the owner pool (no user is known yet, and app_user has no INSERT on
 * users); everything a signed-in user reads about themselves goes through `withUser`.
 */
import { type Sql, type Tx, withUser } from "./client.ts";
import { HttpError } from "@/core/http_error.ts";

/** What the API shows of a user: never the password hash. */
export interface PublicUser {
  id: number;
  email: string;
  full_name: string | null;
  mode: "job_seeker" | "recruiter";
  subscription_tier: string;
  email_verified: boolean;
  created_at: Date;
  last_login: Date | null;
  timezone: string | null;
}

/** A user row with the hash, for the login check only. */
export interface UserWithHash extends PublicUser {
  hashed_password: string | null;
}

/** Emails are stored trimmed and lower-cased, so lookups and the unique index agree. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Creates an account; a second account for the same address (whatever its case) is a 409, decided by the
 * unique index rather than a racy check-then-insert.
 */
export async function createUser(sql: Sql, input: {
  email: string;
  hashed_password: string;
  full_name: string | null;
  mode?: "job_seeker" | "recruiter";
}): Promise<PublicUser> {
  try {
    const [user] = await sql<PublicUser[]>`
      insert into users (email, hashed_password, full_name, mode)
      values (${normalizeEmail(input.email)}::varchar, ${input.hashed_password}::varchar,
              ${input.full_name}::varchar, ${input.mode ?? "job_seeker"}::varchar)
      returning id, email, full_name, mode, subscription_tier, email_verified, created_at, last_login, timezone`;
    return user;
  } catch (error) {
    if ((error as { code?: string }).code === "23505") {
      throw new HttpError(409, "an account with this email already exists", {
        code: "email_taken",
        fields: { email: "already registered" },
      });
    }
    throw error;
  }
}

/** Finds an account by email for the login check (case-insensitive through the lower(email) index). */
export async function getUserByEmailForLogin(sql: Sql, email: string): Promise<UserWithHash | undefined> {
  const [user] = await sql<UserWithHash[]>`
    select id, email, full_name, mode, subscription_tier, email_verified, created_at, last_login, timezone,
           hashed_password
    from users where lower(email) = ${normalizeEmail(email)}::text`;
  return user;
}

/** Records a successful sign-in (the seed's `last_login`). */
export async function touchLastLogin(sql: Sql, userId: number): Promise<Date> {
  const [row] = await sql<{ last_login: Date }[]>`
    update users set last_login = now() where id = ${userId}::int returning last_login`;
  return row.last_login;
}

/** The signed-in user's own account, read under row-level security. */
export function getMe(sql: Sql, userId: number): Promise<PublicUser | undefined> {
  return withUser(sql, userId, (tx) => getMeTx(tx, userId));
}

/** The same inside an open user transaction. */
export async function getMeTx(tx: Tx, userId: number): Promise<PublicUser | undefined> {
  const [user] = await tx<PublicUser[]>`
    select id, email, full_name, mode, subscription_tier, email_verified, created_at, last_login, timezone
    from users where id = ${userId}::int`;
  return user;
}

/**
 * Creates the account or, when the email exists, sets its password and profile: used by the development
 * and staging seed so the demo password in the README always works.
 */
export async function upsertUserByEmail(sql: Sql, input: {
  email: string;
  hashed_password: string;
  full_name: string;
  mode: "job_seeker" | "recruiter";
  subscription_tier: "free" | "pro" | "teams" | "enterprise";
}): Promise<PublicUser> {
  const [user] = await sql<PublicUser[]>`
    insert into users (email, hashed_password, full_name, mode, subscription_tier, email_verified)
    values (${normalizeEmail(input.email)}::varchar, ${input.hashed_password}::varchar,
            ${input.full_name}::varchar, ${input.mode}::varchar, ${input.subscription_tier}::varchar, true)
    on conflict (email) do update set hashed_password = excluded.hashed_password
    returning id, email, full_name, mode, subscription_tier, email_verified, created_at, last_login, timezone`;
  return user;
}

/** Takes the next account id (the answer to a sign-up with a taken address looks like a new account's). */
export async function nextUserId(sql: Sql): Promise<number> {
  const [row] = await sql<{ id: number }[]>`select nextval(pg_get_serial_sequence('users', 'id'))::int as id`;
  return row.id;
}

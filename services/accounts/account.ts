/**
 * Account flows of issue 14: password reset, email verification, and the sign-up answer for an address that
 * already has an account (issue 9 item 16). Each answers the same way whether or not an address exists: the
 * database work is one statement either way, and mail is sent after the answer (services/mail/system_mail.ts).
 */
import {
  issueResetToken,
  issueVerifyToken,
  resetPasswordWithToken,
  verifyEmailWithToken,
} from "@/db/account_tokens.ts";
import { hitRateLimit } from "@/db/rate_limits.ts";
import type { Sql } from "@/db/client.ts";
import type { AppContext } from "@/services/app_context.ts";
import { getUserByEmailForLogin, nextUserId, normalizeEmail, type PublicUser } from "@/db/users.ts";
import { randomToken, sha256Hex } from "@/core/crypto.ts";
import { HttpError } from "@/core/http_error.ts";
import { queueSystemMail } from "@/services/mail/system_mail.ts";
import { resetMessage, signupNoticeMessage, verifyMessage } from "./account_mail.ts";

/** Per window of an hour: reset mails per address asked for, requests per client address, resends per user. */
export const ACCOUNT_MAIL_LIMITS = {
  windowSeconds: 3600,
  resetPerEmail: 3,
  resetPerClient: 20,
  verifyResends: 3,
};

/**
 * Starts a password reset. Always answers normally (202 in the route): an unknown address, or one over its
 * hourly limit, simply gets no mail. Only a client address over its own limit gets a 429, which says nothing
 * about any account.
 */
export async function requestPasswordReset(
  app: AppContext,
  email: string,
  clientAddress: string,
): Promise<void> {
  if (clientAddress !== "unknown") {
    const byClient = await hitRateLimit(
      app.sql,
      `reset:ip:${clientAddress}`,
      ACCOUNT_MAIL_LIMITS.windowSeconds,
    );
    if (byClient.hits > ACCOUNT_MAIL_LIMITS.resetPerClient) {
      throw new HttpError(429, "too many reset requests; try again later", {
        headers: { "retry-after": String(byClient.resetIn) },
      });
    }
  }
  const byEmail = await hitRateLimit(
    app.sql,
    `reset:email:${normalizeEmail(email)}`,
    ACCOUNT_MAIL_LIMITS.windowSeconds,
  );
  if (byEmail.hits > ACCOUNT_MAIL_LIMITS.resetPerEmail) return;
  const token = randomToken();
  const account = await issueResetToken(app.sql, email, await sha256Hex(token));
  if (account) {
    queueSystemMail(app, resetMessage(app.config.appBaseUrl, account.email, account.full_name, token));
  }
}

/** Sets a new password with a reset token; every session of the user ends. 400 for a bad token. */
export async function confirmPasswordReset(
  app: AppContext,
  token: string,
  password: string,
): Promise<number> {
  const newHash = await app.passwords.hash(password);
  const userId = await resetPasswordWithToken(app.sql, await sha256Hex(token), newHash);
  if (userId === undefined) {
    throw new HttpError(400, "this reset link is used, expired or unknown; ask for a new one", {
      code: "invalid_token",
      fields: { token: "used, expired or unknown" },
    });
  }
  return userId;
}

/** Sends a verification link for `email` to that address. */
export async function sendVerification(
  app: AppContext,
  userId: number,
  email: string,
  name: string | null,
): Promise<void> {
  const token = randomToken();
  await issueVerifyToken(app.sql, userId, email, await sha256Hex(token));
  queueSystemMail(app, verifyMessage(app.config.appBaseUrl, email, name, token));
}

/** Resends the link to the signed-in user's address (rate-limited per user). */
export async function resendVerification(
  app: AppContext,
  user: PublicUser,
): Promise<"sent" | "already_verified"> {
  if (user.email_verified) return "already_verified";
  const hit = await hitRateLimit(app.sql, `verify-resend:user:${user.id}`, ACCOUNT_MAIL_LIMITS.windowSeconds);
  if (hit.hits > ACCOUNT_MAIL_LIMITS.verifyResends) {
    throw new HttpError(429, "verification email sent too often; try again later", {
      headers: { "retry-after": String(hit.resetIn) },
    });
  }
  await sendVerification(app, user.id, user.email, user.full_name);
  return "sent";
}

/** Confirms an address with a verification token (400 for a bad one). */
export async function confirmVerification(sql: Sql, token: string, signedInAs?: number): Promise<number> {
  const outcome = await verifyEmailWithToken(sql, await sha256Hex(token), signedInAs);
  if (outcome.ok) return outcome.user_id;
  const message = {
    invalid: "this verification link is used, expired or unknown; ask for a new one",
    other_account: "this verification link belongs to another account; sign out first",
    email_changed: "this link was for an address the account no longer has",
  }[outcome.reason];
  throw new HttpError(400, message, { code: "invalid_token", fields: { token: outcome.reason } });
}

/**
 * The sign-up answer for an address that already has an account: shaped like a new account's (201, a user
 * with a fresh id from the users sequence, a token and a cookie), but the token opens no session. The owner
 * gets a notice instead (at most one an hour). See docs/accounts.md for why and what it still reveals.
 */
export async function takenSignupAnswer(
  app: AppContext,
  input: { email: string; full_name: string; mode?: "job_seeker" | "recruiter" },
): Promise<{ user: PublicUser; token: string }> {
  const id = await nextUserId(app.sql);
  const notice = await hitRateLimit(app.sql, `signup-notice:${normalizeEmail(input.email)}`, 3600);
  if (notice.hits === 1) {
    const owner = await getUserByEmailForLogin(app.sql, input.email);
    if (owner) queueSystemMail(app, signupNoticeMessage(app.config.appBaseUrl, owner.email, owner.full_name));
  }
  const now = new Date();
  return {
    user: {
      id,
      email: normalizeEmail(input.email),
      full_name: input.full_name,
      mode: input.mode ?? "job_seeker",
      subscription_tier: "free",
      email_verified: false,
      created_at: now,
      last_login: now,
      timezone: null,
    },
    token: randomToken(),
  };
}

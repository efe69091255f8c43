/**
 * What /api/me and the /account page do (issue 14): the checks around db/account.ts, and the mail they send.
 */
import { changeEmail, deleteAccount, getPasswordHash, setPassword, updateProfile } from "@/db/account.ts";
import { hitRateLimit } from "@/db/rate_limits.ts";
import type { AppContext } from "@/services/app_context.ts";
import type { Sql } from "@/db/client.ts";
import { getMe, normalizeEmail, type PublicUser } from "@/db/users.ts";
import { sendVerification } from "./account.ts";
import { emailChangedNoticeMessage } from "./account_mail.ts";
import { HttpError } from "@/core/http_error.ts";
import { queueSystemMail } from "@/services/mail/system_mail.ts";

/** Email changes per user per hour: each one sends two mails. */
export const EMAIL_CHANGES_PER_HOUR = 5;

/** PATCH /api/me: profile fields, then the email (which sends a new link and a notice to the old address). */
export async function patchMe(
  app: AppContext,
  userId: number,
  input: { full_name?: string; timezone?: string; email?: string },
): Promise<PublicUser> {
  let me = await updateProfile(app.sql, userId, input);
  if (input.email !== undefined && normalizeEmail(input.email) !== me.email) {
    const hit = await hitRateLimit(app.sql, `email-change:user:${userId}`, 3600);
    if (hit.hits > EMAIL_CHANGES_PER_HOUR) {
      throw new HttpError(429, "too many email changes; try again later", {
        headers: { "retry-after": String(hit.resetIn) },
      });
    }
    const changed = await changeEmail(app.sql, userId, input.email);
    if (changed) {
      me = (await getMe(app.sql, userId))!;
      await sendVerification(app, userId, me.email, me.full_name);
      queueSystemMail(
        app,
        emailChangedNoticeMessage(app.config.appBaseUrl, changed.old, me.full_name, me.email),
      );
    }
  }
  return me;
}

/** POST /api/me/password: needs the current password; ends every other session. */
export async function changePassword(
  app: AppContext,
  userId: number,
  sessionId: string | undefined,
  input: { current_password: string; new_password: string },
): Promise<void> {
  if (!(await app.passwords.verify(input.current_password, await getPasswordHash(app.sql, userId)))) {
    throw new HttpError(403, "the current password is wrong", {
      code: "wrong_password",
      fields: { current_password: "is wrong" },
    });
  }
  await setPassword(app.sql, userId, await app.passwords.hash(input.new_password), sessionId);
}

/** DELETE /api/me: only with the account's own email typed in. */
export async function deleteMe(sql: Sql, userId: number, confirmEmail: string): Promise<void> {
  const me = await getMe(sql, userId);
  if (!me) throw new HttpError(401, "sign in required");
  if (normalizeEmail(confirmEmail) !== me.email) {
    throw new HttpError(422, "type the account's email to confirm", {
      code: "confirmation_mismatch",
      fields: { confirm_email: "does not match the account's email" },
    });
  }
  await deleteAccount(sql, userId);
}

/**
 * What /api/me and the /account page do (issue 14): the checks around db/account.ts, and the mail they send.
 */
import { changeEmail, deleteAccount, getPasswordHash, setPassword, updateProfile } from "@/db/account.ts";
import { hitRateLimit } from "@/db/rate_limits.ts";
import { getMe, normalizeEmail, type PublicUser } from "@/db/users.ts";
import { sendVerification } from "./account.ts";
import { emailChangedNoticeMessage } from "./account_mail.ts";
import { HttpError } from "@/core/http_error.ts";
import { queueSystemMail } from "@/services/mail/system_mail.ts";
import { hashPassword, verifyPassword } from "./password.ts";

/** Email changes per user per hour: each one sends two mails. */
export const EMAIL_CHANGES_PER_HOUR = 5;

/** PATCH /api/me: profile fields, then the email (which sends a new link and a notice to the old address). */
export async function patchMe(
  userId: number,
  input: { full_name?: string; timezone?: string; email?: string },
): Promise<PublicUser> {
  let me = await updateProfile(userId, input);
  if (input.email !== undefined && normalizeEmail(input.email) !== me.email) {
    const hit = await hitRateLimit(`email-change:user:${userId}`, 3600);
    if (hit.hits > EMAIL_CHANGES_PER_HOUR) {
      throw new HttpError(429, "too many email changes; try again later", {
        headers: { "retry-after": String(hit.resetIn) },
      });
    }
    const changed = await changeEmail(userId, input.email);
    if (changed) {
      me = (await getMe(userId))!;
      await sendVerification(userId, me.email, me.full_name);
      queueSystemMail(emailChangedNoticeMessage(changed.old, me.full_name, me.email));
    }
  }
  return me;
}

/** POST /api/me/password: needs the current password; ends every other session. */
export async function changePassword(
  userId: number,
  sessionId: string | undefined,
  input: { current_password: string; new_password: string },
): Promise<void> {
  if (!(await verifyPassword(input.current_password, await getPasswordHash(userId)))) {
    throw new HttpError(403, "the current password is wrong", {
      code: "wrong_password",
      fields: { current_password: "is wrong" },
    });
  }
  await setPassword(userId, await hashPassword(input.new_password), sessionId);
}

/** DELETE /api/me: only with the account's own email typed in. */
export async function deleteMe(userId: number, confirmEmail: string): Promise<void> {
  const me = await getMe(userId);
  if (!me) throw new HttpError(401, "sign in required");
  if (normalizeEmail(confirmEmail) !== me.email) {
    throw new HttpError(422, "type the account's email to confirm", {
      code: "confirmation_mismatch",
      fields: { confirm_email: "does not match the account's email" },
    });
  }
  await deleteAccount(userId);
}

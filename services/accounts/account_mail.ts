/**
 * The texts of account mail (reset, verification, notices), built in one place so the routes and tests agree
 * on the links: `APP_BASE_URL/reset-password/<token>` and `APP_BASE_URL/verify/<token>`. `base` is the
 * configuration's `appBaseUrl`.
 */
import type { SystemMessage } from "@/services/mail/system_mail.ts";

function greeting(name: string | null): string {
  return name ? `Hello ${name},` : "Hello,";
}

export function resetLink(base: string, token: string): string {
  return `${base}/reset-password/${token}`;
}

export function verifyLink(base: string, token: string): string {
  return `${base}/verify/${token}`;
}

export function resetMessage(base: string, to: string, name: string | null, token: string): SystemMessage {
  return {
    kind: "password_reset",
    to,
    subject: "Reset your RoleFerry password",
    text: `${greeting(name)}

Someone (hopefully you) asked to reset the password of your RoleFerry account. Choose a new one here:

${resetLink(base, token)}

The link works once, for one hour. If you did not ask, ignore this email: your password stays as it is.
`,
  };
}

export function verifyMessage(base: string, to: string, name: string | null, token: string): SystemMessage {
  return {
    kind: "verify_email",
    to,
    subject: "Confirm your email address for RoleFerry",
    text: `${greeting(name)}

Please confirm that this address is yours:

${verifyLink(base, token)}

Until it is confirmed you can sign in and prepare everything, but RoleFerry sends no outreach for you.
`,
  };
}

export function signupNoticeMessage(base: string, to: string, name: string | null): SystemMessage {
  return {
    kind: "signup_notice",
    to,
    subject: "Someone tried to sign up with your address",
    text: `${greeting(name)}

Someone tried to create a RoleFerry account with this address, which already has one. No new account was made.

If it was you, sign in at ${base}/login, or choose a new password at ${base}/forgot-password.
If it was not you, there is nothing to do.
`,
  };
}

export function emailChangedNoticeMessage(
  base: string,
  to: string,
  name: string | null,
  newEmail: string,
): SystemMessage {
  return {
    kind: "email_changed_notice",
    to,
    subject: "The email address of your RoleFerry account was changed",
    text: `${greeting(name)}

The address of your RoleFerry account was changed to ${newEmail}. If you did not do this, reset your password
at ${base}/forgot-password and write to support.
`,
  };
}

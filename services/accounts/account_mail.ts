/**
 * The texts of account mail (reset, verification, notices), built in one place so the routes and tests agree
 * on the links: `APP_BASE_URL/reset-password/<token>` and `APP_BASE_URL/verify/<token>`.
 */
import { config } from "@/fresh.config.ts";
import type { SystemMessage } from "@/services/mail/system_mail.ts";

function greeting(name: string | null): string {
  return name ? `Hello ${name},` : "Hello,";
}

export function resetLink(token: string): string {
  return `${config().appBaseUrl}/reset-password/${token}`;
}

export function verifyLink(token: string): string {
  return `${config().appBaseUrl}/verify/${token}`;
}

export function resetMessage(to: string, name: string | null, token: string): SystemMessage {
  return {
    kind: "password_reset",
    to,
    subject: "Reset your RoleFerry password",
    text: `${greeting(name)}

Someone (hopefully you) asked to reset the password of your RoleFerry account. Choose a new one here:

${resetLink(token)}

The link works once, for one hour. If you did not ask, ignore this email: your password stays as it is.
`,
  };
}

export function verifyMessage(to: string, name: string | null, token: string): SystemMessage {
  return {
    kind: "verify_email",
    to,
    subject: "Confirm your email address for RoleFerry",
    text: `${greeting(name)}

Please confirm that this address is yours:

${verifyLink(token)}

Until it is confirmed you can sign in and prepare everything, but RoleFerry sends no outreach for you.
`,
  };
}

export function signupNoticeMessage(to: string, name: string | null): SystemMessage {
  const base = config().appBaseUrl;
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

export function emailChangedNoticeMessage(to: string, name: string | null, newEmail: string): SystemMessage {
  return {
    kind: "email_changed_notice",
    to,
    subject: "The email address of your RoleFerry account was changed",
    text: `${greeting(name)}

The address of your RoleFerry account was changed to ${newEmail}. If you did not do this, reset your password
at ${config().appBaseUrl}/forgot-password and write to support.
`,
  };
}

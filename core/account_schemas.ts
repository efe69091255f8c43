/** The zod schemas of the account routes of issue 14 (reset, verification, /api/me, admin users). */
import { z } from "zod";
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS, UserOut } from "./auth_schemas.ts";

export const NewPassword = z.string()
  .min(MIN_PASSWORD_CHARS, `must be at least ${MIN_PASSWORD_CHARS} characters`)
  .refine((p) => new TextEncoder().encode(p).length <= MAX_PASSWORD_BYTES, {
    message: `must be at most ${MAX_PASSWORD_BYTES} bytes`,
  });

const Email = z.string().trim().max(255, "must be at most 255 characters").pipe(
  z.email("must be an email address"),
);

/** A link token as typed or pasted: its shape is checked by looking it up (unknown ones answer 400). */
const LinkToken = z.string().trim().min(1, "is required").max(200, "is too long");

export const PasswordResetBody = z.strictObject({ email: Email });
export const PasswordResetConfirmBody = z.strictObject({ token: LinkToken, password: NewPassword });
export const VerifyBody = z.strictObject({ token: LinkToken });

export const AcceptedOut = z.object({ status: z.string() });

/** IANA zone names as the runtime knows them (Intl). */
export function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone.length <= 50;
  } catch {
    return false;
  }
}

export const UpdateMeBody = z.strictObject({
  full_name: z.string().trim().min(1, "is required").max(255, "must be at most 255 characters").optional(),
  timezone: z.string().refine(isIanaZone, { message: "must be an IANA time zone such as Europe/Berlin" })
    .optional(),
  email: Email.optional(),
});

export const ChangePasswordBody = z.strictObject({
  current_password: z.string().min(1, "is required").max(1000, "is too long"),
  new_password: NewPassword,
});

export const DeleteMeBody = z.strictObject({
  confirm_email: z.string().trim().min(1, "is required").max(255),
});

export const SessionOut = z.object({
  id: z.string(),
  created_at: z.string(),
  last_seen_at: z.string().nullable(),
  user_agent: z.string().nullable(),
  current: z.boolean(),
});

export const AdminUserBody = z.strictObject({
  subscription_tier: z.enum(["free", "pro", "teams", "enterprise"]).optional(),
  credits_remaining: z.number().int().min(0, "must be 0 or more").max(100_000_000).optional(),
});

export const AdminUserOut = UserOut.extend({
  credits_remaining: z.number().int().nullable(),
  stripe_customer_id: z.string().nullable(),
});

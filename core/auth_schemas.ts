/** The zod schemas of the account routes, shared by the API routes and the signup/login pages. */
import { z } from "zod";

/** bcrypt only reads the first 72 bytes of a password: longer ones are refused rather than truncated. */
export const MAX_PASSWORD_BYTES = 72;
export const MIN_PASSWORD_CHARS = 10;

const Password = z.string()
  .min(MIN_PASSWORD_CHARS, `must be at least ${MIN_PASSWORD_CHARS} characters`)
  .refine((p) => new TextEncoder().encode(p).length <= MAX_PASSWORD_BYTES, {
    message: `must be at most ${MAX_PASSWORD_BYTES} bytes`,
  });

const Email = z.string().trim().max(255, "must be at most 255 characters").pipe(
  z.email("must be an email address"),
);

export const SignupBody = z.strictObject({
  email: Email,
  password: Password,
  full_name: z.string().trim().min(1, "is required").max(255, "must be at most 255 characters"),
  mode: z.enum(["job_seeker", "recruiter"]).optional(),
});

export const LoginBody = z.strictObject({
  email: z.string().trim().min(1, "is required").max(255, "must be at most 255 characters"),
  password: z.string().min(1, "is required").max(1000, "is too long"),
});

export const UserOut = z.object({
  id: z.number().int(),
  email: z.string(),
  full_name: z.string().nullable(),
  mode: z.enum(["job_seeker", "recruiter"]),
  subscription_tier: z.string(),
  email_verified: z.boolean(),
  created_at: z.string(),
  last_login: z.string().nullable(),
  timezone: z.string().nullable(),
});

export const SignedInOut = z.object({ user: UserOut, token: z.string() });

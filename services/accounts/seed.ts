/**
 * Data the app itself puts in at boot. The seed's two test users exist only in development and staging
 * (never in test or production), with a real bcrypt hash of the demo password written in the README.
 * A service, not a query module: it hashes the password (services/accounts/password.ts).
 */
import { getUserByEmailForLogin, type PublicUser, upsertUserByEmail } from "@/db/users.ts";
import type { AppContext } from "@/services/app_context.ts";

/** The README's demo password of the seeded test users. */
export const DEMO_PASSWORD = "roleferry-demo-2026";

const TEST_USERS = [
  {
    email: "test_js@roleferry.com",
    full_name: "Test Job Seeker",
    mode: "job_seeker",
    subscription_tier: "pro",
  },
  {
    email: "test_rec@roleferry.com",
    full_name: "Test Recruiter",
    mode: "recruiter",
    subscription_tier: "teams",
  },
] as const;

/**
 * Creates the seed's test users when ROLEFERRY_ENV is development or staging and they are missing; does
 * nothing elsewhere. Idempotent: called at every boot, and cheap once they exist (a bcrypt hash at cost 12
 * takes a few hundred milliseconds, so it is computed only for a user that is created).
 */
export async function seedTestUsers(app: AppContext, env = app.config.env): Promise<PublicUser[]> {
  if (env !== "development" && env !== "staging") return [];
  const users: PublicUser[] = [];
  for (const user of TEST_USERS) {
    if (await getUserByEmailForLogin(app.sql, user.email)) continue;
    const hashed_password = await app.passwords.hash(DEMO_PASSWORD, 12);
    users.push(await upsertUserByEmail(app.sql, { ...user, hashed_password }));
  }
  return users;
}

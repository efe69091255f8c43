/**
 * Test users made through the real HTTP API (`POST /api/auth/signup`), so every test that needs a
 * signed-in caller exercises the same path as a real client.
 */
import type { PublicUser } from "@/db/users.ts";
import type { Sql } from "@/db/client.ts";
import { testServerAt } from "./server.ts";

export interface TestUser {
  user: PublicUser;
  /** Bearer token for API calls. */
  token: string;
  /** `rf_session=...` for a Cookie header (page requests, CSRF tests). */
  cookie: string;
  password: string;
}

let counter = 0;

/**
 * Signs up a fresh user on the running test server at `baseUrl`.
 *
 * @example
 * const { token } = await createUserWithToken(server.url);
 * await api(server.url, "GET", "/api/me", { token });
 */
export async function createUserWithToken(
  baseUrl: string,
  overrides: {
    email?: string;
    password?: string;
    full_name?: string;
    mode?: "job_seeker" | "recruiter";
    /** Marks the address verified, as following the emailed link would (default true: outreach needs it). */
    verified?: boolean;
    /** The pool of the server's database, for a server not started by `startTestServer` (default: its pool). */
    sql?: Sql;
  } = {},
): Promise<TestUser> {
  const password = overrides.password ?? "correct-horse-battery";
  const body = {
    email: overrides.email ?? `user${++counter}.${crypto.randomUUID().slice(0, 8)}@example.test`,
    password,
    full_name: overrides.full_name ?? `Test User ${counter}`,
    ...(overrides.mode ? { mode: overrides.mode } : {}),
  };
  const res = await fetch(`${baseUrl}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(json)}`);
  if (overrides.verified ?? true) {
    // The server runs in this process (tests/helpers/server.ts), or the caller names its database.
    const sql = overrides.sql ?? testServerAt(baseUrl)?.app.sql;
    if (!sql) throw new Error(`createUserWithToken: no test server at ${baseUrl}: pass { sql }`);
    await sql`update users set email_verified = true where id = ${json.user.id}::int`;
    json.user.email_verified = true;
  }
  const setCookie = res.headers.get("set-cookie") ?? "";
  return { user: json.user, token: json.token, cookie: setCookie.split(";")[0], password };
}

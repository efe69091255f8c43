import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { csrfTokenFor } from "@/web/csrf.ts";
import { sha256Hex } from "@/core/crypto.ts";
import { DEMO_PASSWORD, seedTestUsers } from "@/services/accounts/seed.ts";
import { createAppContext } from "@/app/context.ts";
import { loadConfig } from "@/fresh.config.ts";

const db = await useAppDatabase("auth");
const server = await startTestServer();
/** For the services called directly (the seed): the test configuration on this file's database. */
const app = createAppContext(loadConfig({ ...TEST_ENV, DATABASE_URL: db.url }), db.sql);
const JSON_TYPE = /^application\/json/;

Deno.test("[e2e] POST /api/auth/signup - creates the account, a session token and a session cookie", async () => {
  const res = await api(server.url, "POST", "/api/auth/signup", {
    body: { email: "  Ada@Example.TEST ", password: "analytical-engine", full_name: "Ada Lovelace" },
  });
  assert.equal(res.status, 201);
  assert.match(res.type ?? "", JSON_TYPE);
  assert.equal(res.body.user.email, "ada@example.test");
  assert.equal(res.body.user.full_name, "Ada Lovelace");
  assert.equal(res.body.user.mode, "job_seeker");
  assert.equal("hashed_password" in res.body.user, false);
  assert.match(res.body.token, /^[A-Za-z0-9_-]{43}$/);
  const cookie = res.headers.get("set-cookie") ?? "";
  assert.match(cookie, /^rf_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
  assert.doesNotMatch(cookie, /Secure/); // test env: plain HTTP

  const [row] = await db.sql`select hashed_password, last_login from users where email = 'ada@example.test'`;
  assert.match(row.hashed_password, /^\$2b\$04\$/); // cost 4 under ROLEFERRY_ENV=test
  assert.ok(row.last_login instanceof Date);
  const sessions = await db.sql`select token_hash from sessions s join users u on u.id = s.user_id
                                where u.email = 'ada@example.test'`;
  assert.equal(sessions.length, 1);
  assert.equal(sessions[0].token_hash, await sha256Hex(res.body.token)); // only the hash is stored
});

Deno.test("[e2e] POST /api/auth/signup - the same email in another case answers 201 but opens no session", async () => {
  await createUserWithToken(server.url, { email: "grace@example.test" });
  const res = await api(server.url, "POST", "/api/auth/signup", {
    body: { email: "GRACE@example.test", password: "compilers-rule", full_name: "Grace" },
  });
  // Same answer as a new account (issue 9 item 16; docs/accounts.md), but the token opens nothing.
  assert.equal(res.status, 201);
  assert.match(res.type ?? "", JSON_TYPE);
  assert.equal((await api(server.url, "GET", "/api/me", { token: res.body.token })).status, 401);
  const [{ count }] = await db
    .sql`select count(*)::int as count from users where lower(email) = 'grace@example.test'`;
  assert.equal(count, 1);
});

Deno.test("[e2e] POST /api/auth/signup - bad values are 422 naming each field, nothing written", async () => {
  const [{ before }] = await db.sql`select count(*)::int as before from users`;
  const res = await api(server.url, "POST", "/api/auth/signup", {
    body: { email: "not-an-email", password: "short", full_name: "", admin: true },
  });
  assert.equal(res.status, 422);
  assert.match(res.type ?? "", JSON_TYPE);
  assert.deepEqual(Object.keys(res.body.error.fields).sort(), ["admin", "email", "full_name", "password"]);
  const long = await api(server.url, "POST", "/api/auth/signup", {
    body: { email: "long@example.test", password: "é".repeat(40), full_name: "Long" },
  });
  assert.equal(long.status, 422);
  assert.match(long.body.error.fields.password, /72 bytes/);
  const [{ after }] = await db.sql`select count(*)::int as after from users`;
  assert.equal(after, before);
});

Deno.test("[e2e] POST /api/auth/login - right password signs in and records last_login; wrong ones are 401", async () => {
  const { user, password } = await createUserWithToken(server.url, { email: "linus@example.test" });
  await db.sql`update users set last_login = null where id = ${user.id}`;
  const ok = await api(server.url, "POST", "/api/auth/login", {
    body: { email: "LINUS@example.test", password },
  });
  assert.equal(ok.status, 200);
  assert.match(ok.type ?? "", JSON_TYPE);
  assert.equal(ok.body.user.id, user.id);
  assert.ok(ok.body.user.last_login);
  assert.match(ok.headers.get("set-cookie") ?? "", /^rf_session=/);

  const wrong = await api(server.url, "POST", "/api/auth/login", {
    body: { email: "linus@example.test", password: "not-the-password" },
  });
  assert.equal(wrong.status, 401);
  assert.match(wrong.type ?? "", JSON_TYPE);
  assert.equal(wrong.body.error.code, "invalid_credentials");
  const unknown = await api(server.url, "POST", "/api/auth/login", {
    body: { email: "nobody@example.test", password: "whatever-it-is" },
  });
  assert.equal(unknown.status, 401);
  const { request_id: _a, ...unknownError } = unknown.body.error;
  const { request_id: _b, ...wrongError } = wrong.body.error;
  assert.deepEqual(unknownError, wrongError); // same answer: no account enumeration
});

Deno.test("[e2e] GET /api/me - the signed-in user without the hash; 401 without a session", async () => {
  const { user, token, cookie } = await createUserWithToken(server.url);
  const me = await api(server.url, "GET", "/api/me", { token });
  assert.equal(me.status, 200);
  assert.match(me.type ?? "", JSON_TYPE);
  assert.equal(me.body.id, user.id);
  assert.equal(me.body.email, user.email);
  assert.equal("hashed_password" in me.body, false);
  const viaCookie = await api(server.url, "GET", "/api/me", { headers: { cookie } });
  assert.equal(viaCookie.status, 200);
  assert.equal(viaCookie.body.id, user.id);
  const anonymous = await api(server.url, "GET", "/api/me");
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.type ?? "", JSON_TYPE);
  assert.equal(anonymous.body.error.code, "unauthorized");
  const garbage = await api(server.url, "GET", "/api/me", {
    headers: { authorization: "Bearer x' or 1=1 --" },
  });
  assert.equal(garbage.status, 401);
});

Deno.test("[e2e] POST /api/auth/logout - revokes the session server-side", async () => {
  const { token } = await createUserWithToken(server.url);
  const out = await api(server.url, "POST", "/api/auth/logout", { token });
  assert.equal(out.status, 204);
  assert.match(out.headers.get("set-cookie") ?? "", /rf_session=; .*Max-Age=0/);
  const after = await api(server.url, "GET", "/api/me", { token });
  assert.equal(after.status, 401);
  const [row] = await db.sql`select revoked_at from sessions where token_hash = ${await sha256Hex(token)}`;
  assert.ok(row.revoked_at instanceof Date);
});

Deno.test("[e2e] cookie-authenticated writes - need the CSRF token and our own origin", async () => {
  const { cookie } = await createUserWithToken(server.url);
  const sessionToken = cookie.slice("rf_session=".length);
  const noToken = await api(server.url, "POST", "/api/auth/logout", { headers: { cookie } });
  assert.equal(noToken.status, 403);
  assert.match(noToken.type ?? "", JSON_TYPE);
  assert.equal(noToken.body.error.code, "csrf");
  const csrf = await csrfTokenFor(sessionToken);
  const foreign = await api(server.url, "POST", "/api/auth/logout", {
    headers: { cookie, "x-csrf-token": csrf, origin: "https://evil.example" },
  });
  assert.equal(foreign.status, 403);
  const stillIn = await api(server.url, "GET", "/api/me", { headers: { cookie } });
  assert.equal(stillIn.status, 200); // neither refused write ended the session
  const ok = await api(server.url, "POST", "/api/auth/logout", {
    headers: { cookie, "x-csrf-token": csrf, origin: server.url },
  });
  assert.equal(ok.status, 204);
});

Deno.test("[e2e] POST /api/auth/login - more than 10 attempts per email in 15 minutes is a 429 with Retry-After", async () => {
  const { password } = await createUserWithToken(server.url, { email: "target@example.test" });
  for (let i = 0; i < 10; i++) {
    const res = await api(server.url, "POST", "/api/auth/login", {
      body: { email: "target@example.test", password: `guess-number-${i}` },
    });
    assert.equal(res.status, 401);
  }
  const limited = await api(server.url, "POST", "/api/auth/login", {
    body: { email: "Target@example.test", password },
  });
  assert.equal(limited.status, 429);
  assert.match(limited.type ?? "", JSON_TYPE);
  assert.equal(limited.body.error.code, "rate_limited");
  const retry = Number(limited.headers.get("retry-after"));
  assert.ok(retry > 0 && retry <= 900, `retry-after ${retry}`);
  const [row] = await db.sql`select hits from rate_limits where bucket = 'login:email:target@example.test'`;
  assert.equal(row.hits, 11);
});

Deno.test("[e2e] POST /api/auth/login - more than 50 attempts from one address in 15 minutes is a 429", async () => {
  // The address bucket of 127.0.0.1 already holds this file's earlier logins; fill it up with other emails.
  const [row] = await db.sql`select hits from rate_limits where bucket = 'login:ip:127.0.0.1'`;
  assert.ok(row.hits > 0, "the address is known (connection info reaches the route)");
  let status = 0;
  for (let i = row.hits; i <= 50 && status !== 429; i++) {
    status = (await api(server.url, "POST", "/api/auth/login", {
      body: { email: `spray${i}@example.test`, password: "password-spray" },
    })).status;
  }
  const limited = await api(server.url, "POST", "/api/auth/login", {
    body: { email: "fresh-email@example.test", password: "password-spray" },
  });
  assert.equal(limited.status, 429);
  assert.match(limited.type ?? "", JSON_TYPE);
  assert.ok(Number(limited.headers.get("retry-after")) > 0);
});

Deno.test("seedTestUsers - creates the two seed users with a bcrypt cost-12 hash in development only", async () => {
  assert.deepEqual(await seedTestUsers(app, "test"), []);
  assert.deepEqual(await seedTestUsers(app, "production"), []);
  const users = await seedTestUsers(app, "development");
  assert.deepEqual(users.map((u) => u.email), ["test_js@roleferry.com", "test_rec@roleferry.com"]);
  const rows = await db.sql`select email, mode, subscription_tier, hashed_password from users
                            where email like 'test\\_%@roleferry.com' order by email`;
  assert.equal(rows.length, 2);
  assert.deepEqual(rows.map((r) => [r.mode, r.subscription_tier]), [["job_seeker", "pro"], [
    "recruiter",
    "teams",
  ]]);
  for (const row of rows) {
    assert.match(row.hashed_password, /^\$2b\$12\$/);
    assert.equal(await app.passwords.verify(DEMO_PASSWORD, row.hashed_password), true);
  }
  await seedTestUsers(app, "staging"); // idempotent
  const [{ count }] = await db
    .sql`select count(*)::int as count from users where email like 'test\\_%@roleferry.com'`;
  assert.equal(count, 2);
});

Deno.test("auth - teardown", async () => {
  app.passwords.close();
  await server.close();
  await db.drop();
});

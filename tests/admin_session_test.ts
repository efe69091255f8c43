/**
 * Issue 9, item 13: the admin token has a guess limit, and the admin pages' `rf_admin` cookie is a
 * revocable session (stored hashed, ended by "Sign out of admin").
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { sha256Hex } from "@/core/crypto.ts";
import { ADMIN_GUESS_LIMIT } from "@/services/accounts/rate_limit.ts";

const db = await useAppDatabase("admin_session");
const server = await startTestServer({}, { sql: db.sql });
const TOKEN = TEST_ENV.ROLEFERRY_ADMIN_TOKEN;
const FORM = { "content-type": "application/x-www-form-urlencoded" };

async function signIn(token: string) {
  return await api(server.url, "POST", "/admin/mailboxes", {
    body: new URLSearchParams({ token }).toString(),
    headers: FORM,
  });
}

const page = (cookie: string) => api(server.url, "GET", "/admin/mailboxes", { headers: { cookie } });

Deno.test("[e2e] /admin sign-in - a random session cookie, stored hashed; sign-out ends it server-side", async () => {
  const signed = await signIn(TOKEN);
  assert.equal(signed.status, 303);
  const setCookie = signed.headers.get("set-cookie") ?? "";
  assert.match(setCookie, /^rf_admin=[A-Za-z0-9_-]{43}; Path=\/admin; HttpOnly; SameSite=Strict/);
  const cookie = setCookie.split(";")[0];
  const raw = cookie.slice("rf_admin=".length);
  const [row] = await db.sql`select token_hash, revoked_at from admin_sessions`;
  assert.equal(row.token_hash, await sha256Hex(raw), "only the hash is stored");
  assert.equal((await page(cookie)).status, 200);

  const again = await signIn(TOKEN);
  assert.notEqual(again.headers.get("set-cookie")?.split(";")[0], cookie, "each sign-in is a new session");

  const out = await api(server.url, "POST", "/admin/mailboxes", {
    body: "action=logout",
    headers: { ...FORM, cookie },
  });
  assert.equal(out.status, 303);
  assert.match(out.headers.get("set-cookie") ?? "", /^rf_admin=; .*Max-Age=0/);
  assert.equal((await page(cookie)).status, 401, "the signed-out cookie no longer works, even if kept");
  const [revoked] = await db.sql`select revoked_at from admin_sessions where token_hash = ${row.token_hash}`;
  assert.ok(revoked.revoked_at instanceof Date);
});

Deno.test("[e2e] /admin sessions - a new admin token ends every admin session", async () => {
  const cookie = (await signIn(TOKEN)).headers.get("set-cookie")!.split(";")[0];
  assert.equal((await page(cookie)).status, 200);
  const current = server.app.config;
  current.adminToken = "another-admin-token-0123456789";
  try {
    assert.equal((await page(cookie)).status, 401);
  } finally {
    current.adminToken = TOKEN;
  }
  assert.equal((await page(cookie)).status, 200);
});

Deno.test("[e2e] admin token - wrong guesses from one address are limited; then even the right one is a 429", async () => {
  await db.sql`delete from rate_limits`;
  for (let i = 0; i < ADMIN_GUESS_LIMIT.perAddress - 2; i++) {
    const wrong = await api(server.url, "GET", "/api/admin/stats", { token: `guess-${i}-0123456789abcdef` });
    assert.equal(wrong.status, 401);
  }
  assert.equal((await signIn("form-guess-0123456789")).status, 401); // the form counts too
  assert.equal((await api(server.url, "GET", "/metrics", { token: "metrics-guess-0123456789" })).status, 401);
  const limited = await api(server.url, "GET", "/api/admin/stats", { token: TOKEN });
  assert.equal(limited.status, 429);
  assert.match(limited.type ?? "", /^application\/json/);
  assert.equal(limited.body.error.code, "rate_limited");
  assert.ok(Number(limited.headers.get("retry-after")) > 0);
  assert.equal((await signIn(TOKEN)).status, 429);
  assert.equal((await api(server.url, "GET", "/metrics", { token: TOKEN })).status, 429);
});

Deno.test("admin session - teardown", async () => {
  await server.close();
  await db.drop();
});

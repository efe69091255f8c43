/**
 * Issue 9, items 4, 9, 10 and 11 (and the sign-up limit of item 1) against the real app and database:
 * `next` never leaves the site nor breaks a header, a stranger cannot lock the owner out, and bcrypt's
 * 72-byte truncation never lets a longer password in.
 */
import assert from "node:assert/strict";
import http from "node:http";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { limitLoginAttempt, limitSignupAttempt, LOGIN_LIMITS } from "@/services/accounts/rate_limit.ts";
import { HttpError } from "@/core/http_error.ts";

const db = await useAppDatabase("auth_hardening");
const server = await startTestServer();

function form(values: Record<string, string>): { body: string; headers: Record<string, string> } {
  return {
    body: new URLSearchParams(values).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  };
}

async function statusOf(work: Promise<unknown>): Promise<number> {
  try {
    await work;
    return 200;
  } catch (error) {
    return error instanceof HttpError ? error.status : 500;
  }
}

Deno.test("[e2e] POST /login - a next with TAB, LF, NUL or another site never leaves the site nor gives a 500", async () => {
  const { password, user } = await createUserWithToken(server.url);
  const cases: [string, string][] = [
    ["/\t/evil.example", "/"],
    ["/\n/evil.example", "/"],
    ["/jobs\r\nSet-Cookie: x=1", "/"],
    ["//evil.example/", "/"],
    ["/\\evil.example", "/"],
    ["https://evil.example/", "/"],
    ["/jobs/\u2603?q=\u00e9", "/jobs/%E2%98%83?q=%C3%A9"],
    ["/applications?status=applied", "/applications?status=applied"],
  ];
  for (const [next, location] of cases) {
    const res = await api(server.url, "POST", "/login", form({ email: user.email, password, next }));
    assert.equal(res.status, 303, JSON.stringify(next));
    assert.equal(res.headers.get("location"), location, JSON.stringify(next));
    assert.match(res.headers.get("set-cookie") ?? "", /^rf_session=/);
  }
  const nul = await api(server.url, "POST", "/login", form({ email: user.email, password, next: "/a\0b" }));
  assert.ok(nul.status < 500, `NUL in next: ${nul.status}`);
});

Deno.test("[e2e] GET /login?next=/%09/evil.example - the form carries a local next only", async () => {
  const res = await api(server.url, "GET", "/login?next=/%09/evil.example");
  assert.equal(res.status, 200);
  assert.match(res.body, /<input type="hidden" name="next" value="\/"/);
});

Deno.test("[e2e] POST /signup - a next with LF or non-Latin-1 signs up once and sends the cookie", async () => {
  for (const [i, next] of ["/jobs\n/x", "/jobs/\u2603"].entries()) {
    const email = `next${i}@example.test`;
    const res = await api(
      server.url,
      "POST",
      "/signup",
      form({
        email,
        password: "correct-horse-battery",
        full_name: "Next",
        mode: "job_seeker",
        next,
      }),
    );
    assert.equal(res.status, 303, JSON.stringify(next));
    assert.match(res.headers.get("set-cookie") ?? "", /^rf_session=/);
    assert.ok(/^\/[\x21-\x7e]*$/.test(res.headers.get("location") ?? ""), res.headers.get("location") ?? "");
    const [{ count }] = await db.sql`select count(*)::int as count from users where email = ${email}`;
    assert.equal(count, 1);
  }
});

Deno.test("[e2e] passwords past 72 bytes - 422 naming the field at sign-up; never a truncation match at login", async () => {
  const long = await api(server.url, "POST", "/api/auth/signup", {
    body: { email: "long@example.test", password: "\u00e9".repeat(37), full_name: "Long" },
  });
  assert.equal(long.status, 422);
  assert.deepEqual(Object.keys(long.body.error.fields), ["password"]);
  const exact = "p".repeat(72);
  const { user } = await createUserWithToken(server.url, { password: exact });
  const suffix = await api(server.url, "POST", "/api/auth/login", {
    body: { email: user.email, password: exact + "anything-after" },
  });
  assert.equal(suffix.status, 401);
  assert.equal(suffix.body.error.code, "invalid_credentials");
  const right = await api(server.url, "POST", "/api/auth/login", {
    body: { email: user.email, password: exact },
  });
  assert.equal(right.status, 200);
});

/** A JSON POST from a chosen loopback source address (127.0.0.0/8 is all ours on Linux), via node:http. */
function postFrom(localAddress: string, path: string, body: unknown): Promise<number> {
  const url = new URL(server.url);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname,
      port: Number(url.port),
      path,
      method: "POST",
      localAddress,
      headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) },
    }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(text);
  });
}

Deno.test("[e2e] POST /api/auth/login - a stranger's wrong passwords from one address do not lock the owner out", async () => {
  const { user, password } = await createUserWithToken(server.url);
  for (let i = 0; i < LOGIN_LIMITS.perPair; i++) {
    assert.equal(
      await postFrom("127.0.0.66", "/api/auth/login", { email: user.email, password: `guess-${i}-x` }),
      401,
    );
  }
  assert.equal(
    await postFrom("127.0.0.66", "/api/auth/login", { email: user.email, password }),
    429,
    "the stranger's address is stopped, the right password included",
  );
  assert.equal(await postFrom("127.0.0.77", "/api/auth/login", { email: user.email, password }), 200);
});

Deno.test("limitLoginAttempt - a stranger's guesses lock only their own (email, address) pair", async () => {
  const email = "owner@example.test";
  for (let i = 0; i < LOGIN_LIMITS.perPair; i++) await limitLoginAttempt(db.sql, "203.0.113.9", email);
  assert.equal(
    await statusOf(limitLoginAttempt(db.sql, "203.0.113.9", email)),
    429,
    "the stranger is stopped",
  );
  assert.equal(
    await statusOf(limitLoginAttempt(db.sql, "198.51.100.4", email)),
    200,
    "the owner still gets in",
  );
});

Deno.test("limitLoginAttempt - past the email's ceiling over all addresses, attempts are slowed, not refused", async () => {
  const limits = { ...LOGIN_LIMITS, emailCeiling: 3, slowdownMs: 400 };
  const email = "popular@example.test";
  for (let i = 0; i < 3; i++) await limitLoginAttempt(db.sql, `192.0.2.${i + 1}`, email, limits);
  const started = performance.now();
  assert.equal(await statusOf(limitLoginAttempt(db.sql, "192.0.2.100", email, limits)), 200);
  assert.ok(performance.now() - started >= 390, "the attempt waited");
});

Deno.test("limitSignupAttempt - per address and over the whole service", async () => {
  await db.sql`delete from rate_limits where bucket = 'signup:global'`; // earlier tests' sign-ups
  const limits = { windowSeconds: 3600, perAddress: 2, global: 3 };
  assert.equal(await statusOf(limitSignupAttempt(db.sql, "203.0.113.50", limits)), 200);
  assert.equal(await statusOf(limitSignupAttempt(db.sql, "203.0.113.50", limits)), 200);
  assert.equal(await statusOf(limitSignupAttempt(db.sql, "203.0.113.50", limits)), 429);
  // The global bucket already counts three (the 429 included): a new address is refused too.
  assert.equal(await statusOf(limitSignupAttempt(db.sql, "203.0.113.51", limits)), 429);
});

Deno.test("auth hardening - teardown", async () => {
  await server.close();
  await db.drop();
});

/**
 * Hardening (data-architecture.md 8.1): app_user can change data it is granted,
 * never the schema; readonly cannot write. And over HTTP: security headers, a
 * request id in every answer and error, request size limits.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer } from "@/tests/helpers/server.ts";

const db = await useAppDatabase("hardening");
const sql = db.sql;

async function asRole(role: string, statement: string) {
  return await sql.begin(async (tx) => {
    await tx`select set_config('role', ${role}, true)`;
    return await tx.unsafe(statement);
  });
}

Deno.test("app_user - cannot run DDL: CREATE, DROP, ALTER, TRUNCATE fail, GRANT has no effect", async () => {
  const statements = [
    "create table evil (id int)",
    "drop table users",
    "drop table outreach",
    "alter table users add column evil int",
    "alter table applications disable row level security",
    "drop policy application_isolation on applications",
    "create index evil_idx on users (email)",
    "create function evil() returns int language sql as 'select 1'",
    "truncate applications",
    "create schema evil",
    "refresh materialized view match_scores",
  ];
  for (const statement of statements) {
    await assert.rejects(asRole("app_user", statement), (error: { code?: string; message: string }) => {
      // 42501 insufficient_privilege; 42809/others would mean the statement got further than it should
      assert.equal(error.code, "42501", `${statement}: ${error.message}`);
      return true;
    }, statement);
  }
  const [{ still }] =
    await sql`select count(*)::int as still from pg_tables where tablename in ('users', 'outreach')`;
  assert.equal(still, 2);
});

Deno.test("readonly - reads but cannot write or read secrets", async () => {
  const [{ n }] = await asRole("readonly", "select count(*)::int as n from sequence_templates");
  assert.ok(n >= 2);
  await assert.rejects(asRole("readonly", "insert into companies (name) values ('x')"), /permission denied/);
  await assert.rejects(asRole("readonly", "select hashed_password from users"), /permission denied/);
  await assert.rejects(
    asRole("readonly", "select smtp_password_encrypted from mailboxes"),
    /permission denied/,
  );
});

Deno.test("[e2e] HTTP hardening - security headers, request id on answers and errors, size limit", async () => {
  const server = await startTestServer({}, { sql: db.sql });
  try {
    const health = await api(server.url, "GET", "/healthz");
    assert.equal(health.status, 200);
    assert.match(health.type ?? "", /^application\/json/);
    assert.match(health.headers.get("content-security-policy") ?? "", /script-src 'self'(;|$)/);
    assert.equal(health.headers.get("x-content-type-options"), "nosniff");
    assert.equal(health.headers.get("x-frame-options"), "DENY");
    assert.match(health.headers.get("x-request-id") ?? "", /^[\w.-]{8,64}$/);

    const missing = await api(server.url, "GET", "/api/no-such-route", {
      headers: { "x-request-id": "trace-abc-123" },
    });
    assert.equal(missing.status, 404);
    assert.match(missing.type ?? "", /^application\/json/);
    assert.equal(missing.headers.get("x-request-id"), "trace-abc-123");
    assert.equal(missing.body.error.request_id, "trace-abc-123");

    const huge = JSON.stringify({ email: "a@b.io", password: "x".repeat(2_000_000), full_name: "A" });
    const tooBig = await api(server.url, "POST", "/api/auth/signup", { body: huge });
    assert.equal(tooBig.status, 413);
    assert.match(tooBig.type ?? "", /^application\/json/);
    assert.equal(typeof tooBig.body.error.message, "string");
    const [{ users }] = await sql`select count(*)::int as users from users where email = 'a@b.io'`;
    assert.equal(users, 0);
  } finally {
    await server.close();
  }
});

Deno.test("hardening - teardown", async () => {
  await db.drop();
});

/**
 * Account settings end to end (issue 14): profile and email changes, password change, sessions, and deleting
 * the account — checked against every table of the catalog afterwards.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { createContacts, createSender, queueFirstSteps } from "@/tests/helpers/outreach_fixtures.ts";
import { settleSystemMail } from "@/services/mail/system_mail.ts";
import { refreshMatchScores } from "@/jobs/refresh_match_scores.ts";

const db = await useAppDatabase("account_settings");
const server = await startTestServer();

Deno.test("[e2e] PATCH /api/me - name and time zone; a new email is unverified, gets a link, the old one a notice", async () => {
  const u = await createUserWithToken(server.url);
  const bad = await api(server.url, "PATCH", "/api/me", {
    token: u.token,
    body: { timezone: "Mars/Olympus", full_name: "" },
  });
  assert.equal(bad.status, 422);
  assert.deepEqual(Object.keys(bad.body.error.fields).sort(), ["full_name", "timezone"]);

  const ok = await api(server.url, "PATCH", "/api/me", {
    token: u.token,
    body: { full_name: "Renamed", timezone: "Europe/Berlin" },
  });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.full_name, "Renamed");
  assert.equal(ok.body.timezone, "Europe/Berlin");
  assert.equal(ok.body.email_verified, true);

  const newEmail = `moved.${u.user.id}@example.test`;
  const moved = await api(server.url, "PATCH", "/api/me", { token: u.token, body: { email: newEmail } });
  assert.equal(moved.status, 200);
  assert.equal(moved.body.email, newEmail);
  assert.equal(moved.body.email_verified, false);
  await settleSystemMail(server.app);
  const mails = await db.sql`select to_email, headers->>'X-RoleFerry-System' as kind from outbox_messages
    where to_email in (${u.user.email}, ${newEmail}) order by id`;
  assert.ok(mails.some((m) => m.to_email === newEmail && m.kind === "verify_email"));
  assert.ok(mails.some((m) => m.to_email === u.user.email && m.kind === "email_changed_notice"));

  const other = await createUserWithToken(server.url);
  const taken = await api(server.url, "PATCH", "/api/me", { token: other.token, body: { email: newEmail } });
  assert.equal(taken.status, 409);
  assert.equal(taken.body.error.fields.email, "already registered");
});

Deno.test("[e2e] POST /api/me/password - needs the current password, ends the other sessions only", async () => {
  const u = await createUserWithToken(server.url);
  const second = await api(server.url, "POST", "/api/auth/login", {
    body: { email: u.user.email, password: u.password },
  });
  const wrong = await api(server.url, "POST", "/api/me/password", {
    token: u.token,
    body: { current_password: "not-it-at-all", new_password: "another-password-1" },
  });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.body.error.fields.current_password, "is wrong");
  const ok = await api(server.url, "POST", "/api/me/password", {
    token: u.token,
    body: { current_password: u.password, new_password: "another-password-1" },
  });
  assert.equal(ok.status, 200);
  assert.equal(
    (await api(server.url, "GET", "/api/me", { token: u.token })).status,
    200,
    "this session stays",
  );
  assert.equal((await api(server.url, "GET", "/api/me", { token: second.body.token })).status, 401);
});

Deno.test("[e2e] /api/me/sessions - lists live sessions with the current one marked; ending one revokes it", async () => {
  const u = await createUserWithToken(server.url);
  const second = await api(server.url, "POST", "/api/auth/login", {
    body: { email: u.user.email, password: u.password },
    headers: { "user-agent": "Second Browser" },
  });
  const list = await api(server.url, "GET", "/api/me/sessions", { token: u.token });
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 2);
  assert.deepEqual(list.body.items.map((s: { current: boolean }) => s.current).sort(), [false, true]);
  const other = list.body.items.find((s: { current: boolean }) => !s.current);
  assert.equal(other.user_agent, "Second Browser");
  assert.ok(other.last_seen_at);

  const stranger = await createUserWithToken(server.url);
  assert.equal(
    (await api(server.url, "DELETE", `/api/me/sessions/${other.id}`, { token: stranger.token })).status,
    404,
    "another user's session id is unknown",
  );
  assert.equal(
    (await api(server.url, "DELETE", `/api/me/sessions/${other.id}`, { token: u.token })).status,
    204,
  );
  assert.equal((await api(server.url, "GET", "/api/me", { token: second.body.token })).status, 401);
  assert.equal((await api(server.url, "GET", "/api/me/sessions", { token: u.token })).body.items.length, 1);
  assert.equal((await api(server.url, "DELETE", "/api/me/sessions/abc", { token: u.token })).status, 404);
});

/** Every table of the catalog with rows that name the user: by a user-id column or by the email anywhere. */
async function rowsNaming(userId: number, email: string): Promise<Record<string, number>> {
  const tables = await db.sql<{ name: string; kind: string }[]>`
    select c.oid::regclass::text as name, c.relkind::text as kind from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p', 'm') and not c.relispartition`;
  assert.ok(tables.length > 15, `catalog read (${tables.length} tables)`);
  const found: Record<string, number> = {};
  for (const { name } of tables) {
    const idColumns = await db.sql<{ attname: string }[]>`
      select attname from pg_attribute
      where attrelid = ${name}::regclass and attnum > 0 and not attisdropped
        and (attname in ('user_id', 'created_by', 'owner_id', 'owner_user_id') or (${name} = 'users' and attname = 'id'))`;
    const byId = idColumns.map((c) => `t."${c.attname}" = ${userId}`).join(" or ");
    const where = [`t::text ilike '%${email.replace(/'/g, "''")}%'`, ...(byId ? [byId] : [])].join(" or ");
    const [{ n }] = await db.sql.unsafe(`select count(*)::int as n from ${name} t where ${where}`);
    if (n > 0) found[name] = n;
  }
  return found;
}

Deno.test("[e2e] DELETE /api/me - wrong confirmation 422; then nothing of the user is left but the kept opt-outs", async () => {
  const u = await createUserWithToken(server.url);
  const keep = await createUserWithToken(server.url);
  const token = u.token;
  await api(server.url, "PUT", "/api/resume", {
    token,
    body: { roles: ["Engineer"], key_metrics: ["40%"], accomplishments: ["x"], skills: ["Go"] },
  });
  await api(server.url, "PUT", "/api/preferences", { token, body: { locations: ["Berlin"] } });
  await api(server.url, "POST", "/api/sequences", {
    token,
    body: { name: "Mine", steps: [{ step_no: 1, delay_hours: 0, subject: "Hi", body: "Hello" }] },
  });
  await api(server.url, "POST", "/api/auth/password-reset", { body: { email: u.user.email } });
  await api(server.url, "POST", "/api/auth/login", {
    body: { email: u.user.email, password: "wrong-password-x" },
  });
  // An application with sent and queued outreach, a charge and usage, and a contact who opted out.
  const sender = await createSender(db.sql);
  const [app] = await db
    .sql`insert into applications (user_id, job_id) values (${u.user.id}, ${sender.jobId}) returning id`;
  const contacts = await createContacts(db.sql, sender.companyId, 3);
  const ids = await queueFirstSteps(db.sql, app.id, contacts);
  await db.sql`update outreach set status = 'sent', sent_at = now() where id = ${ids[0]}`;
  await db.sql`insert into send_charges (outreach_id, queued_at, user_id)
               select id, queued_at, ${u.user.id} from outreach where id = ${ids[0]}`;
  await db.sql`update contacts set opted_out = true, opted_out_at = now() where id = ${contacts[1]}`;
  await refreshMatchScores(db.sql);
  await settleSystemMail(server.app);
  const before = await rowsNaming(u.user.id, u.user.email);
  for (const table of ["users", "resumes", "job_preferences", "applications", "sessions", "account_tokens"]) {
    assert.ok(before[table], `the fixture has ${table} rows (${JSON.stringify(before)})`);
  }

  const wrong = await api(server.url, "DELETE", "/api/me", {
    token,
    body: { confirm_email: "someone@else.test" },
  });
  assert.equal(wrong.status, 422);
  assert.equal(wrong.body.error.fields.confirm_email, "does not match the account's email");
  const missing = await api(server.url, "DELETE", "/api/me", { token, body: {} });
  assert.equal(missing.status, 422);

  const gone = await api(server.url, "DELETE", "/api/me", {
    token,
    body: { confirm_email: u.user.email.toUpperCase() },
  });
  assert.equal(gone.status, 204);
  assert.match(gone.headers.get("set-cookie") ?? "", /Max-Age=0/);
  assert.equal((await api(server.url, "GET", "/api/me", { token })).status, 401);

  // The derived match_scores cache drops the user at its next refresh (hourly job): run it, as the job would.
  await refreshMatchScores(db.sql);
  assert.deepEqual(await rowsNaming(u.user.id, u.user.email), {}, "no row names the deleted user");
  const [{ n: outreachLeft }] = await db
    .sql`select count(*)::int as n from outreach where application_id = ${app.id}`;
  assert.equal(outreachLeft, 0);
  // Kept: the contacts (shared per company) and the opt-out.
  const [optOut] = await db.sql`select opted_out from contacts where id = ${contacts[1]}`;
  assert.equal(optOut.opted_out, true);
  // The other user is untouched.
  assert.equal((await api(server.url, "GET", "/api/me", { token: keep.token })).status, 200);
});

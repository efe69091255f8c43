/**
 * The outreach API over real HTTP: contacts (dedup, listing, CSV/JSON import),
 * sequences (validation, platform templates read-only), enrollment (rendering,
 * 409s, 422 for missing variables, another user's application) and the admin
 * mailboxes (no password ever returned).
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { tablesWrittenBy } from "@/tests/helpers/writes.ts";

const db = await useAppDatabase("outreach_api");
const server = await startTestServer({}, { sql: db.sql });
const alice = await createUserWithToken(server.url, { full_name: "Alice Able" });
const bob = await createUserWithToken(server.url, { full_name: "Bob Baker" });
const ADMIN = { authorization: `Bearer ${TEST_ENV.ROLEFERRY_ADMIN_TOKEN}` };

const [company] = await db
  .sql`insert into companies (name, domain) values ('Globex', 'globex.example') returning id`;
const [job] = await db
  .sql`insert into jobs (source, title, company_id) values ('test', 'Platform Engineer', ${company.id})
                           returning id`;
const aliceApp = await api(server.url, "POST", "/api/applications", {
  token: alice.token,
  body: { job_id: job.id },
});
assert.equal(aliceApp.status, 201, JSON.stringify(aliceApp.body));
const [platform] = await db.sql`select id from sequence_templates where name = 'Job Seeker Default'`;

Deno.test("[e2e] POST /api/contacts - creates, and the same email in another case answers the existing one", async () => {
  const body = {
    company_id: company.id,
    full_name: "Hank Scorpio",
    email: "Hank@Globex.example",
    source: "manual",
  };
  const first = await api(server.url, "POST", "/api/contacts", { token: alice.token, body });
  assert.equal(first.status, 201);
  assert.match(first.type!, /application\/json/);
  assert.equal(first.body.email, "Hank@Globex.example");
  assert.equal(first.body.opted_out, false);
  const again = await api(server.url, "POST", "/api/contacts", {
    token: bob.token,
    body: { ...body, email: "hank@GLOBEX.example", full_name: "H. Scorpio" },
  });
  assert.equal(again.status, 200);
  assert.match(again.type!, /application\/json/);
  assert.equal(again.body.id, first.body.id);
  assert.equal(again.body.full_name, "Hank Scorpio", "the existing contact is unchanged");
});

Deno.test("[e2e] POST /api/contacts - bad input is a 422 naming the field and writes nothing", async () => {
  const { value: [bad, noCompany], tables } = await tablesWrittenBy(db.sql, async () => [
    await api(server.url, "POST", "/api/contacts", {
      token: alice.token,
      body: { company_id: company.id, full_name: "", email: "not-an-email", source: "x", extra: 1 },
    }),
    await api(server.url, "POST", "/api/contacts", {
      token: alice.token,
      body: { company_id: 999999, full_name: "X", email: "x@y.example", source: "x" },
    }),
  ]);
  assert.equal(bad.status, 422);
  assert.match(bad.type!, /application\/json/);
  assert.deepEqual(Object.keys(bad.body.error.fields).sort(), ["email", "extra", "full_name"]);
  assert.equal(noCompany.status, 422);
  assert.equal(noCompany.body.error.fields.company_id, "no such company");
  assert.deepEqual(tables, [], "nothing written");
  const anonymous = await api(server.url, "POST", "/api/contacts", { body: { company_id: company.id } });
  assert.equal(anonymous.status, 401);
});

Deno.test("[e2e] POST /api/companies/:id/contacts/import - CSV and JSON, bad rows rejected by index", async () => {
  const csv = "Full Name,Email,Title\n" +
    '"Marge, the boss",marge@globex.example,CEO\n' +
    "No Email,,CTO\n" +
    "Homer,homer@globex.example,\n" +
    "Homer again,HOMER@globex.example,\n";
  const res = await fetch(`${server.url}/api/companies/${company.id}/contacts/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${alice.token}`, "content-type": "text/csv" },
    body: csv,
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /application\/json/);
  const body = await res.json();
  assert.equal(body.inserted, 2);
  assert.equal(body.existing, 1);
  assert.deepEqual(body.rejected.map((r: { index: number }) => r.index), [1]);
  assert.ok(body.rejected[0].fields.email);

  const json = await api(server.url, "POST", `/api/companies/${company.id}/contacts/import`, {
    token: alice.token,
    body: { contacts: [{ full_name: "Lisa", email: "lisa@globex.example" }, { full_name: "Bart" }, "x"] },
  });
  assert.equal(json.status, 200);
  assert.equal(json.body.inserted, 1);
  assert.deepEqual(json.body.rejected.map((r: { index: number }) => r.index), [1, 2]);

  const header = await fetch(`${server.url}/api/companies/${company.id}/contacts/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${alice.token}`, "content-type": "text/csv" },
    body: "name,mail\nA,a@b.example\n",
  });
  assert.equal(header.status, 422);
  const problem = await header.json();
  assert.ok(problem.error.fields["columns.name"]);
  assert.ok(problem.error.fields["columns.full_name"]);

  const missing = await api(server.url, "POST", `/api/companies/99999/contacts/import`, {
    token: alice.token,
    body: { contacts: [{ full_name: "A", email: "a@b.example" }] },
  });
  assert.equal(missing.status, 404);
});

Deno.test("[e2e] GET /api/companies/:id/contacts - lists them, opted-out ones marked and last", async () => {
  await db
    .sql`update contacts set opted_out = true, opted_out_at = now() where email = 'lisa@globex.example'`;
  const res = await api(server.url, "GET", `/api/companies/${company.id}/contacts`, { token: alice.token });
  assert.equal(res.status, 200);
  assert.match(res.type!, /application\/json/);
  const emails = res.body.items.map((c: { email: string }) => c.email);
  assert.ok(emails.includes("marge@globex.example"));
  const last = res.body.items.at(-1);
  assert.deepEqual([last.email, last.opted_out], ["lisa@globex.example", true]);
  assert.equal(typeof last.bounce_count, "number");
  assert.equal(
    (await api(server.url, "GET", "/api/companies/424242/contacts", { token: alice.token })).status,
    404,
  );
});

Deno.test("[e2e] /api/sequences - platform templates and one's own; steps checked; platform read-only", async () => {
  const steps = [
    { step_no: 1, delay_hours: 0, subject: "Hi {{first_name}}", body: "About {{role}} — {{favorite_color}}" },
    { step_no: 2, delay_hours: 24, subject: "Again", body: "Hello again {{first_name}}" },
  ];
  const created = await api(server.url, "POST", "/api/sequences", {
    token: alice.token,
    body: { name: "Mine", steps },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.match(created.type!, /application\/json/);
  assert.equal(created.body.is_platform, false);

  const list = await api(server.url, "GET", "/api/sequences", { token: alice.token });
  assert.equal(list.status, 200);
  const names = list.body.items.map((s: { name: string }) => s.name);
  assert.ok(
    names.includes("Job Seeker Default") && names.includes("Recruiter Cold Intro") && names.includes("Mine"),
  );
  const bobs = await api(server.url, "GET", "/api/sequences", { token: bob.token });
  assert.ok(!bobs.body.items.some((s: { name: string }) => s.name === "Mine"), "Bob does not see Alice's");

  const gap = await api(server.url, "POST", "/api/sequences", {
    token: alice.token,
    body: { name: "Gap", steps: [steps[0], { ...steps[1], step_no: 3 }] },
  });
  assert.equal(gap.status, 422);
  assert.ok(gap.body.error.fields["steps.1.step_no"]);
  const backwards = await api(server.url, "POST", "/api/sequences", {
    token: alice.token,
    body: { name: "Back", steps: [{ ...steps[0], delay_hours: 48 }, steps[1]] },
  });
  assert.equal(backwards.status, 422);
  assert.ok(backwards.body.error.fields["steps.1.delay_hours"]);
  const long = await api(server.url, "POST", "/api/sequences", {
    token: alice.token,
    body: { name: "Long", steps: [{ ...steps[0], subject: "x".repeat(501) }] },
  });
  assert.equal(long.status, 422);
  assert.ok(long.body.error.fields["steps.0.subject"]);
  const negative = await api(server.url, "POST", "/api/sequences", {
    token: alice.token,
    body: { name: "Neg", steps: [{ ...steps[0], delay_hours: -1 }] },
  });
  assert.equal(negative.status, 422);
  assert.ok(negative.body.error.fields["steps.0.delay_hours"]);

  const patchPlatform = await api(server.url, "PATCH", `/api/sequences/${platform.id}`, {
    token: alice.token,
    body: { name: "Hijacked" },
  });
  assert.equal(patchPlatform.status, 403);
  assert.equal(
    (await api(server.url, "DELETE", `/api/sequences/${platform.id}`, { token: alice.token })).status,
    403,
  );
  const patchOthers = await api(server.url, "PATCH", `/api/sequences/${created.body.id}`, {
    token: bob.token,
    body: { name: "Stolen" },
  });
  assert.equal(patchOthers.status, 404);
  const renamed = await api(server.url, "PATCH", `/api/sequences/${created.body.id}`, {
    token: alice.token,
    body: { name: "Mine, renamed" },
  });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.name, "Mine, renamed");
  assert.deepEqual(renamed.body.steps, steps);
  const [{ name }] = await db.sql`select name from sequence_templates where id = ${platform.id}`;
  assert.equal(name, "Job Seeker Default");
});

Deno.test("[e2e] POST /api/applications/:id/outreach - queues rendered steps; 409s; 422 lists missing variables", async () => {
  const [hank] = await db.sql`select id from contacts where lower(email) = 'hank@globex.example'`;
  const path = `/api/applications/${aliceApp.body.id}/outreach`;
  const missing = await api(server.url, "POST", path, {
    token: alice.token,
    body: { contact_id: hank.id, sequence_id: platform.id },
  });
  assert.equal(missing.status, 422, "Alice has no resume metric yet");
  assert.deepEqual(Object.keys(missing.body.error.fields), ["variables.my_metric"]);

  const before = Date.now();
  const enrolled = await api(server.url, "POST", path, {
    token: alice.token,
    body: { contact_id: hank.id, sequence_id: platform.id, variables: { my_metric: "shipped 3 platforms" } },
  });
  assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
  assert.match(enrolled.type!, /application\/json/);
  const items = enrolled.body.items;
  assert.deepEqual(items.map((i: { step_no: number }) => i.step_no), [1, 2, 3]);
  assert.ok(items.every((i: { status: string }) => i.status === "queued"));
  assert.equal(items[0].subject, "Quick advice on Platform Engineer at Globex?");
  assert.match(items[0].body, /^Hi Hank,\n\nI spotted the Platform Engineer opening at Globex/);
  assert.match(items[0].body, /\(shipped 3 platforms\)/);
  assert.match(items[0].body, /Alice Able$/);
  const hours = items.map((i: { due_at: string }) => Math.round((Date.parse(i.due_at) - before) / 3600_000));
  assert.deepEqual(hours, [0, 48, 96], "due at enrollment plus each step's delay");

  const twice = await api(server.url, "POST", path, {
    token: alice.token,
    body: { contact_id: hank.id, sequence_id: platform.id, variables: { my_metric: "x" } },
  });
  assert.equal(twice.status, 409);
  assert.equal(twice.body.error.code, "already_enrolled");

  const [lisa] = await db.sql`select id from contacts where email = 'lisa@globex.example'`;
  const optedOut = await api(server.url, "POST", path, {
    token: alice.token,
    body: { contact_id: lisa.id, sequence_id: platform.id, variables: { my_metric: "x" } },
  });
  assert.equal(optedOut.status, 409);
  assert.equal(optedOut.body.error.code, "opted_out");

  const [mine] = await db.sql`select id from sequence_templates where name = 'Mine, renamed'`;
  const [marge] = await db.sql`select id from contacts where email = 'marge@globex.example'`;
  const custom = await api(server.url, "POST", path, {
    token: alice.token,
    body: { contact_id: marge.id, sequence_id: mine.id },
  });
  assert.equal(custom.status, 422);
  assert.deepEqual(Object.keys(custom.body.error.fields), ["variables.favorite_color"]);
  const withColor = await api(server.url, "POST", path, {
    token: alice.token,
    body: { contact_id: marge.id, sequence_id: mine.id, variables: { favorite_color: "teal" } },
  });
  assert.equal(withColor.status, 201);
  assert.equal(withColor.body.items[0].subject, "Hi Marge,", "first name from the full name");

  const others = await api(server.url, "POST", path, {
    token: bob.token,
    body: { contact_id: marge.id, sequence_id: platform.id, variables: { my_metric: "x" } },
  });
  assert.equal(others.status, 404);
  assert.equal((await api(server.url, "GET", path, { token: bob.token })).status, 404);

  const timeline = await api(server.url, "GET", path, { token: alice.token });
  assert.equal(timeline.status, 200);
  assert.equal(timeline.body.items.length, 5);
  for (
    const key of [
      "id",
      "contact_id",
      "step_no",
      "subject",
      "body",
      "from_mailbox",
      "status",
      "queued_at",
      "sent_at",
      "delivered_at",
      "opened_at",
      "clicked_at",
      "replied_at",
      "link_clicks",
    ]
  ) assert.ok(key in timeline.body.items[0], key);
});

Deno.test("[e2e] /api/admin/mailboxes - admin only, password encrypted and never returned", async () => {
  const body = {
    email: "outreach@mail.globex.example",
    domain: "mail.globex.example",
    smtp_host: "smtp.globex.example",
    smtp_username: "outreach",
    smtp_password: "s3cret-pa55word",
    daily_cap: 40,
  };
  const denied = await api(server.url, "POST", "/api/admin/mailboxes", { token: alice.token, body });
  assert.equal(denied.status, 401);
  const created = await api(server.url, "POST", "/api/admin/mailboxes", { headers: ADMIN, body });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.match(created.type!, /application\/json/);
  assert.equal(created.body.status, "warmup");
  assert.equal(created.body.send_cap, 5);
  assert.ok(!JSON.stringify(created.body).toLowerCase().includes("password"));
  assert.ok(!JSON.stringify(created.body).includes("s3cret"));
  const [row] = await db.sql`select smtp_password_encrypted from mailboxes where id = ${created.body.id}`;
  assert.match(row.smtp_password_encrypted, /^v1\./);
  assert.ok(!row.smtp_password_encrypted.includes("s3cret"));

  const dup = await api(server.url, "POST", "/api/admin/mailboxes", { headers: ADMIN, body });
  assert.equal(dup.status, 409);
  const bad = await api(server.url, "POST", "/api/admin/mailboxes", {
    headers: ADMIN,
    body: { ...body, email: "x", daily_cap: 0 },
  });
  assert.equal(bad.status, 422);
  assert.ok(bad.body.error.fields.email && bad.body.error.fields.daily_cap);

  const list = await api(server.url, "GET", "/api/admin/mailboxes", { headers: ADMIN });
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 1);
  assert.deepEqual(
    [list.body.items[0].health_score, list.body.items[0].daily_cap, list.body.items[0].sent_today],
    [100, 40, 0],
  );
  assert.ok(!JSON.stringify(list.body).toLowerCase().includes("password"));
  await server.close();
  await db.drop();
});

/**
 * The funnel through HTTP: JSON and CSV answers, windows validated, another user's sequence a 404, the admin
 * aggregate behind the admin token, and the page server-rendered with its charts.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { createContacts } from "@/tests/helpers/outreach_fixtures.ts";

const db = await useAppDatabase("funnel_api");
const sql = db.sql;
const server = await startTestServer({}, { sql: db.sql });
const owner = await createUserWithToken(server.url);
const stranger = await createUserWithToken(server.url);

const [company] = await sql<{ id: number }[]>`
  insert into companies (name, domain) values ('Funnel Co', 'funnel.example') returning id`;
const [job] = await sql<{ id: number }[]>`
  insert into jobs (source, title, company_id) values ('test', 'Engineer', ${company.id}) returning id`;
const [application] = await sql<{ id: number }[]>`
  insert into applications (user_id, job_id, status) values (${owner.user.id}, ${job.id}, 'applied') returning id`;
const created = await api(server.url, "POST", "/api/sequences", {
  token: owner.token,
  body: {
    name: "Mine",
    steps: [{ step_no: 1, delay_hours: 0, subject: "Hi {{first_name}}", body: "Hello" }],
  },
});
assert.equal(created.status, 201);
const sequenceId = created.body.id as number;
const contacts = await createContacts(sql, company.id, 3);
await sql`
  insert into outreach (application_id, contact_id, sequence_template_id, step_no, subject, body, from_mailbox,
                        status, sent_at, replied_at)
  select ${application.id}::int, c, ${sequenceId}::int, 1, 's', 'b', '', 'replied', now(),
         case when c = ${contacts[0]}::int then now() end
  from unnest(${contacts}::int[]) as c`;

Deno.test("[e2e] GET /api/sequences/:id/funnel - the owner's counts, with the reply rate's interval", async () => {
  const res = await api(server.url, "GET", `/api/sequences/${sequenceId}/funnel?window=7d`, {
    token: owner.token,
  });
  assert.equal(res.status, 200);
  assert.match(res.type ?? "", /application\/json/);
  assert.equal(res.body.window, "7d");
  const [variant] = res.body.steps[0].variants;
  assert.equal(variant.variant, null);
  assert.equal(variant.queued, 3);
  assert.equal(variant.sent, 3);
  assert.equal(variant.replied, 1);
  assert.ok(variant.reply_rate.low < 1 / 3 && variant.reply_rate.high > 1 / 3);
  assert.equal(res.body.steps[0].winner, null);
});

Deno.test("[e2e] GET /api/sequences/:id/funnel - CSV export", async () => {
  const res = await fetch(`${server.url}/api/sequences/${sequenceId}/funnel?format=csv&window=all`, {
    headers: { authorization: `Bearer ${owner.token}` },
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/csv/);
  const lines = (await res.text()).trim().split("\r\n");
  assert.equal(lines.length, 2);
  assert.match(lines[1], /^all,1,,3,3,0,0,0,1,0,0,0\.3333,/);
});

Deno.test("[e2e] GET /api/sequences/:id/funnel - a bad window is a 422 naming it; another user's is a 404", async () => {
  const bad = await api(server.url, "GET", `/api/sequences/${sequenceId}/funnel?window=week`, {
    token: owner.token,
  });
  assert.equal(bad.status, 422);
  assert.ok(bad.body.error.fields.window);
  const other = await api(server.url, "GET", `/api/sequences/${sequenceId}/funnel`, {
    token: stranger.token,
  });
  assert.equal(other.status, 404);
  const anonymous = await api(server.url, "GET", `/api/sequences/${sequenceId}/funnel`);
  assert.equal(anonymous.status, 401);
});

Deno.test("[e2e] GET /api/admin/sequences/:id/funnel - admin token only", async () => {
  const refused = await api(server.url, "GET", `/api/admin/sequences/${sequenceId}/funnel`, {
    token: owner.token,
  });
  assert.ok(refused.status === 401 || refused.status === 403);
  const res = await api(server.url, "GET", `/api/admin/sequences/${sequenceId}/funnel?window=all`, {
    token: TEST_ENV.ROLEFERRY_ADMIN_TOKEN,
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.steps[0].variants[0].queued, 3);
});

Deno.test("[e2e] /sequences/:id/funnel - the page shows the chart and the numbers without script", async () => {
  const res = await fetch(`${server.url}/sequences/${sequenceId}/funnel?window=30d`, {
    headers: { cookie: owner.cookie },
  });
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<svg[^>]+role="img"[^>]+aria-label="Step 1 funnel: All: 3 queued, 3 sent/);
  assert.match(html, /Reply rate: 33\.3% of 3 sent/);
  assert.match(html, /Download CSV/);
});

Deno.test("Funnel API - teardown", async () => {
  await server.close();
  await db.drop();
});

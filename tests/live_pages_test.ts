/**
 * Live pages through HTTP: created by the owner, public at an unguessable URL as static HTML, views and link
 * clicks counted once per visitor per day with machines left out, disabled at once, and `{{live_page}}` in a
 * sequence rendering the URL and tying the outreach to the page.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { createContacts } from "@/tests/helpers/outreach_fixtures.ts";

const db = await useAppDatabase("live_pages");
const sql = db.sql;
const server = await startTestServer({}, { sql: db.sql });
const owner = await createUserWithToken(server.url, { full_name: "Ada Lovelace" });
const stranger = await createUserWithToken(server.url);
await sql`update users set email_verified = true where id = ${owner.user.id}`;
await api(server.url, "PUT", "/api/resume", {
  token: owner.token,
  body: {
    roles: ["Staff Engineer"],
    key_metrics: ["Cut p99 latency by 40%"],
    accomplishments: ["Led the billing migration"],
    skills: ["Go"],
  },
});

const [company] = await sql<{ id: number }[]>`
  insert into companies (name, domain) values ('Page Co', 'page.example') returning id`;
const [job] = await sql<{ id: number }[]>`
  insert into jobs (source, title, company_id) values ('test', 'Platform Engineer', ${company.id}) returning id`;
const [application] = await sql<{ id: number }[]>`
  insert into applications (user_id, job_id, status) values (${owner.user.id}, ${job.id}, 'applied') returning id`;

const browser = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0";
const visit = (path: string, agent = browser) =>
  fetch(`${server.url}${path}`, { headers: { "user-agent": agent }, redirect: "manual" });

let page: { id: number; url: string; views: number; link_clicks: number; enabled: boolean };

Deno.test("[e2e] POST /api/live-pages - created for the owner's application; bad links and others' are refused", async () => {
  const bad = await api(server.url, "POST", "/api/live-pages", {
    token: owner.token,
    body: {
      application_id: application.id,
      headline: "x",
      pitch: "y",
      links: [{ label: "x", url: "javascript:alert(1)" }],
    },
  });
  assert.equal(bad.status, 422);
  assert.ok(bad.body.error.fields["links.0.url"]);
  const other = await api(server.url, "POST", "/api/live-pages", {
    token: stranger.token,
    body: { application_id: application.id, headline: "x", pitch: "y" },
  });
  assert.equal(other.status, 404);
  const res = await api(server.url, "POST", "/api/live-pages", {
    token: owner.token,
    body: {
      application_id: application.id,
      headline: "Platform work I'd bring to Page Co",
      pitch: "I build platforms that stay up.",
      links: [{ label: "GitHub", url: "https://github.example/ada" }],
      show_match: true,
    },
  });
  assert.equal(res.status, 201);
  assert.match(res.body.url, /\/p\/[A-Za-z0-9_-]{32}$/);
  assert.equal(res.body.enabled, true);
  assert.equal(res.body.views, 0);
  page = res.body;
});

Deno.test("[e2e] GET /p/:token - static HTML under 30 KB, no script, the pitch and the highlights", async () => {
  const res = await visit(new URL(page.url).pathname);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/html/);
  const html = await res.text();
  assert.ok(new TextEncoder().encode(html).byteLength < 30_000);
  assert.doesNotMatch(html, /<script/i);
  assert.match(html, /Platform work I&#39;d bring to Page Co|Platform work I'd bring to Page Co/);
  assert.match(html, /Cut p99 latency by 40%/);
  assert.match(html, /Ada Lovelace/);
  assert.match(html, /Why Platform Engineer at Page Co/);
});

Deno.test("[e2e] GET /p/:token - a view counts once per visitor per day, and machines never", async () => {
  const path = new URL(page.url).pathname;
  await (await visit(path)).body?.cancel();
  await (await visit(path, "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)")).body?.cancel();
  await (await visit(path, "curl/8.5.0")).body?.cancel();
  await (await visit(path, `${browser} Other`)).body?.cancel();
  const list = await api(server.url, "GET", `/api/live-pages?application_id=${application.id}`, {
    token: owner.token,
  });
  assert.equal(list.body.items[0].views, 2);
});

Deno.test("[e2e] GET /p/:token/l/:n - follows the link and counts the click once", async () => {
  const path = new URL(page.url).pathname;
  const first = await visit(`${path}/l/0`);
  assert.equal(first.status, 303);
  assert.equal(first.headers.get("location"), "https://github.example/ada");
  await visit(`${path}/l/0`);
  assert.equal((await visit(`${path}/l/5`)).status, 404);
  const [row] = await sql<
    { link_clicks: number }[]
  >`select link_clicks from live_pages where id = ${page.id}`;
  assert.equal(row.link_clicks, 1);
});

Deno.test("[e2e] {{live_page}} - enrollment renders the URL and ties the outreach to the page", async () => {
  const [contactId] = await createContacts(sql, company.id, 1);
  const sequence = await api(server.url, "POST", "/api/sequences", {
    token: owner.token,
    body: {
      name: "With page",
      steps: [{ step_no: 1, delay_hours: 0, subject: "Hi {{first_name}}", body: "More here: {{live_page}}" }],
    },
  });
  const res = await api(server.url, "POST", `/api/applications/${application.id}/outreach`, {
    token: owner.token,
    body: { contact_id: contactId, sequence_id: sequence.body.id },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.items[0].body, `More here: ${page.url}`);
  const [row] = await sql<{ livepage_id: number }[]>`
    select livepage_id from outreach where id = ${res.body.items[0].id}::int`;
  assert.equal(row.livepage_id, page.id);
});

Deno.test("[e2e] PATCH /api/live-pages/:id - disabled at once: 410; an unknown token is a 404", async () => {
  const other = await api(server.url, "PATCH", `/api/live-pages/${page.id}`, {
    token: stranger.token,
    body: { enabled: false },
  });
  assert.equal(other.status, 404);
  const res = await api(server.url, "PATCH", `/api/live-pages/${page.id}`, {
    token: owner.token,
    body: { enabled: false },
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.enabled, false);
  const gone = await visit(new URL(page.url).pathname);
  assert.equal(gone.status, 410);
  await gone.body?.cancel();
  const unknown = await visit("/p/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
});

Deno.test("Live pages - teardown", async () => {
  await server.close();
  await db.drop();
});

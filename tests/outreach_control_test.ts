/**
 * Outreach the user controls, over real HTTP (contract §6): the preview that
 * queues nothing, the reviewed text queued as written, pause/resume/stop with
 * the due times moved by the pause, `waiting_reason`/`expected_at` on the
 * timeline as the mailboxes change, contacts read and edited by their creator,
 * and the admin's mailbox edits; plus the development mailbox pool.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { tablesWrittenBy } from "@/tests/helpers/writes.ts";
import { DEV_MAILBOX_DOMAIN, ensureDevMailboxes } from "@/db/dev_mailboxes.ts";
import { dispatchOutreach } from "@/jobs/dispatch_outreach.ts";
import { appOn } from "@/tests/helpers/app.ts";

const db = await useAppDatabase("outreach_control");
const server = await startTestServer();
const alice = await createUserWithToken(server.url, { full_name: "Alice Able" });
const bob = await createUserWithToken(server.url, { full_name: "Bob Baker" });
const ADMIN = { authorization: `Bearer ${TEST_ENV.ROLEFERRY_ADMIN_TOKEN}` };

const [company] = await db.sql`insert into companies (name, domain) values ('Initech', 'initech.example')
                               returning id`;
const [job] = await db.sql`insert into jobs (source, title, company_id) values ('test', 'SRE', ${company.id})
                           returning id`;
const app =
  (await api(server.url, "POST", "/api/applications", { token: alice.token, body: { job_id: job.id } }))
    .body;
const [custom] = await db.sql`
  insert into sequence_templates (user_id, name, is_platform, steps)
  values (${alice.user.id}, 'Two steps', false, ${
  db.sql.json([
    { step_no: 1, delay_hours: 0, subject: "Hi {{first_name}}", body: "About {{role}}: {{hook}}" },
    { step_no: 2, delay_hours: 48, subject: "Re: Hi {{first_name}}", body: "Following up." },
  ])
}) returning id`;

async function newContact(name: string, token = alice.token) {
  const res = await api(server.url, "POST", "/api/contacts", {
    token,
    body: {
      company_id: company.id,
      full_name: name,
      email: `${name.split(" ")[0].toLowerCase()}@initech.example`,
      source: "manual",
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

const outreachPath = `/api/applications/${app.id}/outreach`;

Deno.test("[e2e] POST /api/applications/:id/outreach/preview - renders every step, asks for custom variables, queues nothing", async () => {
  const peter = await newContact("Peter Gibbons");
  const { value: [missing, ok], tables } = await tablesWrittenBy(db.sql, async () => [
    await api(server.url, "POST", `${outreachPath}/preview`, {
      token: alice.token,
      body: { contact_id: peter.id, sequence_id: custom.id },
    }),
    await api(server.url, "POST", `${outreachPath}/preview`, {
      token: alice.token,
      body: { contact_id: peter.id, sequence_id: custom.id, variables: { hook: "your pager load" } },
    }),
  ]);
  assert.equal(missing.status, 422);
  assert.match(missing.type!, /application\/json/);
  assert.equal(missing.body.error.fields["variables.hook"], "no value for {{hook}}");
  assert.equal(ok.status, 200);
  assert.match(ok.type!, /application\/json/);
  assert.deepEqual(ok.body.items.map((i: { subject: string }) => i.subject), ["Hi Peter", "Re: Hi Peter"]);
  assert.equal(ok.body.items[0].body, "About SRE: your pager load");
  const gap = Date.parse(ok.body.items[1].due_at) - Date.parse(ok.body.items[0].due_at);
  assert.equal(gap, 48 * 3_600_000);
  assert.deepEqual(tables, [], "a preview writes nothing");

  const other = await api(server.url, "POST", `${outreachPath}/preview`, {
    token: bob.token,
    body: { contact_id: peter.id, sequence_id: custom.id, variables: { hook: "x" } },
  });
  assert.equal(other.status, 404);
});

Deno.test("[e2e] POST /api/applications/:id/outreach - overrides are queued as reviewed; a bad override is a 422", async () => {
  const milton = await newContact("Milton Waddams");
  const bad = await api(server.url, "POST", outreachPath, {
    token: alice.token,
    body: { contact_id: milton.id, sequence_id: custom.id, overrides: [{ step_no: 3, subject: "x" }] },
  });
  assert.equal(bad.status, 422);
  assert.ok(bad.body.error.fields["overrides.0.step_no"]);
  // step 1 fully reviewed: its {{hook}} no longer needs a value
  const res = await api(server.url, "POST", outreachPath, {
    token: alice.token,
    body: {
      contact_id: milton.id,
      sequence_id: custom.id,
      overrides: [{ step_no: 1, subject: "About the stapler", body: "Written by hand." }],
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.items[0].subject, "About the stapler");
  assert.equal(res.body.items[0].body, "Written by hand.");
  assert.equal(res.body.items[1].subject, "Re: Hi Milton");
});

Deno.test("[e2e] pause, resume, stop - steps kept while paused, due times moved by the pause, stop cancels", async () => {
  const samir = await newContact("Samir Nagheenanajar");
  const enrolled = await api(server.url, "POST", outreachPath, {
    token: alice.token,
    body: { contact_id: samir.id, sequence_id: custom.id, variables: { hook: "TPS" } },
  });
  assert.equal(enrolled.status, 201);
  const before = enrolled.body.items.map((i: { due_at: string }) => Date.parse(i.due_at));
  const path = (action: string) => `${outreachPath}/${samir.id}/${action}`;

  const paused = await api(server.url, "POST", path("pause"), { token: alice.token });
  assert.equal(paused.status, 200);
  assert.match(paused.type!, /application\/json/);
  assert.equal(paused.body.items.length, 2);
  for (const item of paused.body.items) {
    assert.equal(item.status, "queued");
    assert.equal(item.waiting_reason, "sequence_paused");
    assert.equal(item.expected_at, null);
  }
  assert.equal((await api(server.url, "POST", path("pause"), { token: alice.token })).status, 409);
  assert.equal((await api(server.url, "POST", path("pause"), { token: bob.token })).status, 404);

  // the pause lasted an hour
  await db.sql`update outreach set paused_at = paused_at - interval '1 hour' where contact_id = ${samir.id}`;
  const resumed = await api(server.url, "POST", path("resume"), { token: alice.token });
  assert.equal(resumed.status, 200);
  resumed.body.items.forEach((item: { due_at: string; paused_at: string | null }, i: number) => {
    const moved = Date.parse(item.due_at) - before[i];
    assert.ok(moved >= 3_600_000 && moved < 3_660_000, `step ${i + 1} moved by ${moved} ms`);
    assert.equal(item.paused_at, null);
  });
  assert.equal((await api(server.url, "POST", path("resume"), { token: alice.token })).status, 409);

  const stopped = await api(server.url, "POST", path("stop"), { token: alice.token });
  assert.equal(stopped.status, 200);
  assert.deepEqual(stopped.body.items.map((i: { status: string }) => i.status), ["canceled", "canceled"]);
  assert.equal((await api(server.url, "POST", path("explode"), { token: alice.token })).status, 404);
});

Deno.test("[e2e] a paused row is not sent by the dispatcher; resumed, it is", async () => {
  const bill = await newContact("Bill Lumbergh");
  await api(server.url, "POST", outreachPath, {
    token: alice.token,
    body: { contact_id: bill.id, sequence_id: custom.id, variables: { hook: "Saturday" } },
  });
  await db
    .sql`insert into mailboxes (domain, email, status, daily_cap, warmup_enabled, smtp_host, smtp_username,
                                      smtp_password_encrypted)
               values ('initech.example', 'out@initech.example', 'active', 100, false, 'smtp', 'u', 'x')
               on conflict (email) do nothing`;
  await api(server.url, "POST", `${outreachPath}/${bill.id}/pause`, { token: alice.token });
  const first = await dispatchOutreach(appOn(db.sql), { maxBatches: 2 });
  const [row] = await db.sql`select status from outreach where contact_id = ${bill.id} and step_no = 1`;
  assert.equal(row.status, "queued", JSON.stringify(first));
  await api(server.url, "POST", `${outreachPath}/${bill.id}/resume`, { token: alice.token });
  await dispatchOutreach(appOn(db.sql), { maxBatches: 2 });
  const [sent] = await db.sql`select status from outreach where contact_id = ${bill.id} and step_no = 1`;
  assert.equal(sent.status, "sent");
  await db.sql`delete from mailboxes where email = 'out@initech.example'`.catch(() => {});
  await api(server.url, "POST", `${outreachPath}/${bill.id}/stop`, { token: alice.token });
});

Deno.test("[e2e] GET /api/applications/:id/outreach - waiting_reason follows the mailboxes", async () => {
  await db.sql`update outreach set status = 'canceled' where status = 'queued'`;
  const michael = await newContact("Michael Bolton");
  await api(server.url, "POST", outreachPath, {
    token: alice.token,
    body: { contact_id: michael.id, sequence_id: custom.id, variables: { hook: "the band" } },
  });
  const reasons = async () => {
    const res = await api(server.url, "GET", outreachPath, { token: alice.token });
    assert.equal(res.status, 200);
    const mine = res.body.items.filter((i: { contact_id: number }) => i.contact_id === michael.id);
    return mine.map((i: { waiting_reason: string | null; expected_at: string | null }) => [
      i.waiting_reason,
      i.expected_at === null ? null : "at",
    ]);
  };
  await db.sql`delete from outreach where mailbox_id is not null`;
  await db.sql`delete from mailboxes`;
  assert.deepEqual(await reasons(), [["no_mailbox", null], ["no_mailbox", null]]);
  await db
    .sql`insert into mailboxes (domain, email, status, daily_cap, warmup_enabled, smtp_host, smtp_username,
                                      smtp_password_encrypted)
               values ('initech.example', 'm@initech.example', 'paused', 10, false, 'smtp', 'u', 'x')`;
  assert.deepEqual(await reasons(), [["mailbox_paused", null], ["mailbox_paused", null]]);
  await db.sql`update mailboxes set status = 'active', sent_today = 10,
                 sent_today_day = (now() at time zone 'UTC')::date`;
  // step 1 waits for midnight; step 2 is due in 48 h, after the counters start again
  assert.deepEqual(await reasons(), [["mailbox_cap", "at"], [null, "at"]]);
  await db.sql`update mailboxes set sent_today = 0`;
  assert.deepEqual(await reasons(), [[null, "at"], [null, "at"]]);
});

Deno.test("[e2e] GET, PATCH /api/contacts/:id - anyone reads, only the creator edits, bad input changes nothing", async () => {
  const tom = await newContact("Tom Smykowski");
  const read = await api(server.url, "GET", `/api/contacts/${tom.id}`, { token: bob.token });
  assert.equal(read.status, 200);
  assert.match(read.type!, /application\/json/);
  assert.equal(read.body.company_name, "Initech");
  assert.equal(read.body.can_edit, false);
  assert.equal(read.body.opted_out, false);

  const forbidden = await api(server.url, "PATCH", `/api/contacts/${tom.id}`, {
    token: bob.token,
    body: { title: "Liaison" },
  });
  assert.equal(forbidden.status, 403);
  const { value: bad, tables } = await tablesWrittenBy(
    db.sql,
    () =>
      api(server.url, "PATCH", `/api/contacts/${tom.id}`, {
        token: alice.token,
        body: { email: "nope", linkedin_url: "not a url", opted_out: true },
      }),
  );
  assert.equal(bad.status, 422);
  assert.deepEqual(tables, []);

  const ok = await api(server.url, "PATCH", `/api/contacts/${tom.id}`, {
    token: alice.token,
    body: {
      title: "Customer liaison",
      notes: "Takes specs to engineers.",
      linkedin_url: "https://linkedin.com/in/tom",
    },
  });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.title, "Customer liaison");
  assert.equal(ok.body.notes, "Takes specs to engineers.");
  assert.equal(ok.body.can_edit, true);
  assert.equal(ok.body.full_name, "Tom Smykowski", "fields not given are unchanged");

  const peter = await api(server.url, "GET", `/api/contacts/${tom.id}`, { token: alice.token });
  const dup = await api(server.url, "PATCH", `/api/contacts/${tom.id}`, {
    token: alice.token,
    body: { email: "peter@initech.example" },
  });
  assert.equal(dup.status, 409, JSON.stringify(dup.body));
  assert.equal(peter.body.email, "tom@initech.example");
  assert.equal((await api(server.url, "GET", "/api/contacts/999999", { token: alice.token })).status, 404);
});

Deno.test("[e2e] PATCH, DELETE /api/admin/mailboxes/:id - cap, pause and resume; delete only a mailbox that never sent", async () => {
  const created = await api(server.url, "POST", "/api/admin/mailboxes", {
    headers: ADMIN,
    body: {
      email: "new@initech.example",
      domain: "initech.example",
      smtp_host: "smtp.initech.example",
      smtp_username: "new",
      smtp_password: "secret-pw",
    },
  });
  assert.equal(created.status, 201);
  const path = `/api/admin/mailboxes/${created.body.id}`;
  const paused = await api(server.url, "PATCH", path, {
    headers: ADMIN,
    body: { status: "paused", daily_cap: 80 },
  });
  assert.equal(paused.status, 200);
  assert.equal(paused.body.status, "paused");
  assert.equal(paused.body.daily_cap, 80);
  assert.equal(paused.body.paused_reason, "paused by an admin");
  assert.ok(!("smtp_password_encrypted" in paused.body) && !("smtp_password" in paused.body));
  const resumed = await api(server.url, "PATCH", path, { headers: ADMIN, body: { status: "active" } });
  assert.equal(resumed.body.status, "active");
  assert.equal(resumed.body.paused_reason, null);
  assert.equal(
    (await api(server.url, "PATCH", path, { headers: ADMIN, body: { daily_cap: 0 } })).status,
    422,
  );
  assert.equal((await api(server.url, "PATCH", path, { headers: ADMIN, body: {} })).status, 422);
  assert.equal(
    (await api(server.url, "PATCH", path, { token: alice.token, body: { daily_cap: 5 } })).status,
    401,
  );
  assert.equal(
    (await api(server.url, "PATCH", "/api/admin/mailboxes/999999", {
      headers: ADMIN,
      body: { daily_cap: 5 },
    })).status,
    404,
  );

  const [sender] = await db.sql`
    insert into mailboxes (domain, email, smtp_host, smtp_username, smtp_password_encrypted)
    values ('initech.example', 'sent@initech.example', 'smtp', 'u', 'x') returning id`;
  await db.sql`update outreach set mailbox_id = ${sender.id} where id = (select min(id) from outreach)`;
  const refused = await api(server.url, "DELETE", `/api/admin/mailboxes/${sender.id}`, { headers: ADMIN });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, "mailbox_has_sent");
  const gone = await api(server.url, "DELETE", path, { headers: ADMIN });
  assert.equal(gone.status, 204);
  assert.equal((await api(server.url, "DELETE", path, { headers: ADMIN })).status, 404);
});

Deno.test("ensureDevMailboxes - only in development with the outbox transport; once", async () => {
  await db.sql`delete from mailboxes where domain = ${DEV_MAILBOX_DOMAIN}`;
  assert.equal(await ensureDevMailboxes(db.sql, { env: "test", mailTransport: "outbox" }), 0);
  assert.equal(await ensureDevMailboxes(db.sql, { env: "development", mailTransport: "mailgun" }), 0);
  const secret = TEST_ENV.ROLEFERRY_SECRET;
  assert.equal(await ensureDevMailboxes(db.sql, { env: "development", mailTransport: "outbox", secret }), 3);
  assert.equal(await ensureDevMailboxes(db.sql, { env: "development", mailTransport: "outbox", secret }), 0);
  const rows = await db
    .sql`select status, warmup_enabled from mailboxes where domain = ${DEV_MAILBOX_DOMAIN}`;
  assert.equal(rows.length, 3);
  assert.ok(rows.every((r) => r.status === "active" && r.warmup_enabled === false));
});

/**
 * The whole loop over real HTTP and the fake Mailgun: enroll, dispatch, then
 * Mailgun's signed webhooks: delivered, opened and clicked update the row; a
 * permanent failure bounces; a complaint opts out and counts; an inbound reply
 * cancels the later steps and moves the application to interviewing; the
 * unsubscribe page and RFC 8058 one-click opt the contact out at once.
 */
import assert from "node:assert/strict";
import { dispatchOutreach } from "@/jobs/dispatch_outreach.ts";
import { appOn } from "@/tests/helpers/app.ts";
import { signWebhook } from "@/core/webhook_signature.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { startFakeMailgun } from "@/tests/helpers/fake_mailgun.ts";
import { createMailboxes } from "@/tests/helpers/outreach_fixtures.ts";
import { api, startTestServer } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";

const KEY = "webhook-signing-key-0123456789";
const db = await useAppDatabase("webhooks");
const fake = startFakeMailgun();
const server = await startTestServer({
  MAIL_TRANSPORT: "mailgun",
  MAILGUN_API_KEY: fake.apiKey,
  MAILGUN_URL: fake.url,
  MAILGUN_WEBHOOK_SIGNING_KEY: KEY,
  ROLEFERRY_SECRET: "test-secret-test-secret-test-secret-0123456789",
});
const user = await createUserWithToken(server.url, { full_name: "Wendy Webhook" });
const [company] = await db
  .sql`insert into companies (name, domain) values ('Initech', 'initech.example') returning id`;
const [seq] = await db.sql`select id from sequence_templates where name = 'Job Seeker Default'`;
const [mailbox] = await createMailboxes(db.sql, [100]);

/** A new application with one contact enrolled in the 3-step sequence, step 1 sent. */
async function enrolledAndSent(name: string) {
  const [job] = await db.sql`insert into jobs (source, title, company_id) values ('test', ${
    "Analyst " + name
  },
                             ${company.id}) returning id`;
  const app = await api(server.url, "POST", "/api/applications", {
    token: user.token,
    body: { job_id: job.id },
  });
  const contact = await api(server.url, "POST", "/api/contacts", {
    token: user.token,
    body: {
      company_id: company.id,
      full_name: `${name} Person`,
      email: `${name.toLowerCase()}@initech.example`,
      source: "t",
    },
  });
  const enrolled = await api(server.url, "POST", `/api/applications/${app.body.id}/outreach`, {
    token: user.token,
    body: { contact_id: contact.body.id, sequence_id: seq.id, variables: { my_metric: "saved $2M" } },
  });
  assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
  const result = await dispatchOutreach(appOn(db.sql));
  assert.equal(result.sent, 1, JSON.stringify(result));
  const [row] = await db.sql`select * from outreach where id = ${enrolled.body.items[0].id}`;
  return { app: app.body, contact: contact.body, rows: enrolled.body.items, sent: row };
}

async function event(token: string, messageId: string, event: string, extra: Record<string, unknown> = {}) {
  const res = await fetch(`${server.url}/webhooks/mailgun/events`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      signature: await signWebhook(KEY),
      "event-data": {
        event,
        id: crypto.randomUUID(),
        timestamp: Date.now() / 1000,
        "user-variables": { outreach: token },
        message: { headers: { "message-id": messageId.slice(1, -1) } },
        ...extra,
      },
    }),
  });
  return { status: res.status, type: res.headers.get("content-type"), body: await res.json() };
}

Deno.test("[e2e] Mailgun events - delivered, opened and clicked update the outreach row", async () => {
  const { sent } = await enrolledAndSent("Dana");
  assert.equal(sent.status, "sent");
  const message = fake.messages.find((m) => m.fields["v:outreach"] === sent.outreach_token)!;
  assert.equal(sent.provider_message_id, message.id);

  const delivered = await event(sent.outreach_token, sent.provider_message_id, "delivered");
  assert.equal(delivered.status, 200);
  assert.match(delivered.type!, /application\/json/);
  assert.equal(delivered.body.result, "applied");
  const opened = await event(sent.outreach_token, sent.provider_message_id, "opened");
  assert.equal(opened.status, 200);
  const [afterOpen] = await db.sql`select opened_at from outreach where id = ${sent.id}`;
  await event(sent.outreach_token, sent.provider_message_id, "opened");
  await event(sent.outreach_token, sent.provider_message_id, "clicked");
  await event(sent.outreach_token, sent.provider_message_id, "clicked");
  const [row] = await db.sql`select status, delivered_at, opened_at, clicked_at, link_clicks from outreach
                             where id = ${sent.id}`;
  assert.equal(row.status, "delivered");
  assert.ok(row.delivered_at instanceof Date);
  assert.equal(row.opened_at.getTime(), afterOpen.opened_at.getTime(), "opened_at is set once");
  assert.ok(row.clicked_at instanceof Date);
  assert.equal(row.link_clicks, 2);
  const events = await db.sql`select event from outreach_events where outreach_id = ${sent.id} order by id`;
  assert.deepEqual(events.map((e) => e.event), ["delivered", "opened", "opened", "clicked", "clicked"]);

  // Mailgun retrying the same event (same id, new signature) is applied once.
  const eventId = crypto.randomUUID();
  const click = await event(sent.outreach_token, sent.provider_message_id, "clicked", { id: eventId });
  const retried = await event(sent.outreach_token, sent.provider_message_id, "clicked", { id: eventId });
  assert.deepEqual([click.body.result, retried.body.result], ["applied", "duplicate"]);
  const [{ link_clicks }] = await db.sql`select link_clicks from outreach where id = ${sent.id}`;
  assert.equal(link_clicks, 3);

  // Matched by Mailgun's message id alone, too.
  const byId = await event("", sent.provider_message_id, "opened");
  assert.equal(byId.status, 200);
  const unknown = await event("nope", "<nope@x.example>", "delivered");
  assert.equal(unknown.status, 406);
  const unhandled = await event(sent.outreach_token, sent.provider_message_id, "stored");
  assert.equal(unhandled.status, 406);
});

Deno.test("[e2e] Mailgun inbound - a signed reply cancels steps 2 and 3 and moves the application", async () => {
  const { app, sent, rows } = await enrolledAndSent("Rory");
  const form = new FormData();
  for (const [k, v] of Object.entries(await signWebhook(KEY))) form.append(k, v);
  form.append("sender", "rory@initech.example");
  form.append("subject", "Re: Quick advice");
  form.append("In-Reply-To", sent.provider_message_id);
  form.append("References", `<older@elsewhere.example> ${sent.provider_message_id}`);
  form.append("stripped-text", "Sure, let's talk Tuesday.");
  form.append("message-headers", JSON.stringify([["Message-Id", "<reply-1@initech.example>"]]));
  const res = await fetch(`${server.url}/webhooks/mailgun/inbound`, { method: "POST", body: form });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /application\/json/);
  assert.equal((await res.json()).outreach_id, sent.id);

  const steps = await db.sql`select step_no, status, replied_at from outreach
                             where sequence_instance_id = ${sent.sequence_instance_id} order by step_no`;
  assert.deepEqual(steps.map((s) => s.status), ["replied", "canceled", "canceled"]);
  assert.ok(steps[0].replied_at instanceof Date);
  const [application] = await db.sql`select status, reply_status from applications where id = ${app.id}`;
  assert.deepEqual({ ...application }, { status: "interviewing", reply_status: "replied" });
  const timeline = await api(server.url, "GET", `/api/applications/${app.id}/outreach`, {
    token: user.token,
  });
  assert.deepEqual(timeline.body.items.map((i: { status: string }) => i.status), [
    "replied",
    "canceled",
    "canceled",
  ]);
  assert.equal(timeline.body.items[0].id, rows[0].id);

  const unmatched = new FormData();
  for (const [k, v] of Object.entries(await signWebhook(KEY))) unmatched.append(k, v);
  unmatched.append("In-Reply-To", "<someone-else@x.example>");
  const refused = await fetch(`${server.url}/webhooks/mailgun/inbound`, { method: "POST", body: unmatched });
  assert.equal(refused.status, 406);
  await refused.body?.cancel();
});

Deno.test("[e2e] Mailgun events - a permanent failure bounces: counted, later steps canceled", async () => {
  const { contact, sent } = await enrolledAndSent("Bo");
  const temporary = await event(sent.outreach_token, sent.provider_message_id, "failed", {
    severity: "temporary",
  });
  assert.equal(temporary.status, 200);
  const [still] = await db.sql`select status from outreach where id = ${sent.id}`;
  assert.equal(still.status, "sent", "a temporary failure only logs");
  const permanent = await event(sent.outreach_token, sent.provider_message_id, "failed", {
    severity: "permanent",
  });
  assert.equal(permanent.status, 200);
  const steps = await db
    .sql`select status from outreach where sequence_instance_id = ${sent.sequence_instance_id}
                             order by step_no`;
  assert.deepEqual(steps.map((s) => s.status), ["bounced", "canceled", "canceled"]);
  const [c] = await db.sql`select bounce_count from contacts where id = ${contact.id}`;
  assert.equal(c.bounce_count, 1);
  const [m] = await db.sql`select bounce_count_7d from mailboxes where id = ${mailbox.id}`;
  assert.ok(m.bounce_count_7d >= 1);
});

Deno.test("[e2e] Mailgun events - a complaint counts against contact and mailbox and opts the contact out", async () => {
  const { contact, sent, app } = await enrolledAndSent("Cy");
  const res = await event(sent.outreach_token, sent.provider_message_id, "complained");
  assert.equal(res.status, 200);
  const [c] = await db.sql`select opted_out, spam_reports from contacts where id = ${contact.id}`;
  assert.deepEqual({ ...c }, { opted_out: true, spam_reports: 1 });
  const [m] = await db.sql`select spam_reports_7d from mailboxes where id = ${mailbox.id}`;
  assert.ok(m.spam_reports_7d >= 1);
  const [{ complaints }] = await db.sql`select count(*)::int as complaints from outreach_events
                                        where event = 'complained' and mailbox_email = ${mailbox.email}`;
  assert.equal(complaints, 1, "recorded where the health formula counts it");
  const steps = await db
    .sql`select status from outreach where sequence_instance_id = ${sent.sequence_instance_id}
                             order by step_no`;
  assert.deepEqual(steps.map((s) => s.status), ["sent", "canceled", "canceled"]);
  const again = await api(server.url, "POST", `/api/applications/${app.id}/outreach`, {
    token: user.token,
    body: { contact_id: contact.id, sequence_id: seq.id, variables: { my_metric: "x" } },
  });
  assert.equal(again.status, 409, "never mailed again");
});

Deno.test("[e2e] /unsubscribe/:token - the page has one button; one-click POST opts out at once", async () => {
  const { contact, sent } = await enrolledAndSent("Uma");
  // The same person listed at another company before the opt-out.
  const [other] = await db.sql`insert into companies (name, domain) values ('Umbrella', 'umbrella.example')
                               returning id`;
  const elsewhere = await api(server.url, "POST", "/api/contacts", {
    token: user.token,
    body: { company_id: other.id, full_name: "Uma Elsewhere", email: "UMA@initech.example", source: "t" },
  });
  assert.equal(elsewhere.status, 201);
  const page = await fetch(`${server.url}/unsubscribe/${sent.unsubscribe_token}`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type")!, /text\/html/);
  const html = await page.text();
  assert.match(html, /<form method="post" action="\/unsubscribe\//);
  const main = html.match(/<main[\s\S]*<\/main>/)?.[0] ?? "";
  assert.equal(main.match(/<button/g)?.length, 1, "one button");
  assert.match(html, /u\*\*\*@initech\.example/);

  const oneClick = await fetch(`${server.url}/unsubscribe/${sent.unsubscribe_token}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });
  assert.equal(oneClick.status, 200);
  assert.match(await oneClick.text(), /will not receive any more emails/);
  const [c] = await db.sql`select opted_out, opted_out_at from contacts where id = ${contact.id}`;
  assert.equal(c.opted_out, true);
  assert.ok(c.opted_out_at instanceof Date);
  const steps = await db
    .sql`select status from outreach where sequence_instance_id = ${sent.sequence_instance_id}
                             order by step_no`;
  assert.deepEqual(steps.map((s) => s.status), ["sent", "canceled", "canceled"]);

  const [twin] = await db.sql`select opted_out from contacts where id = ${elsewhere.body.id}`;
  assert.equal(twin.opted_out, true, "the opt-out belongs to the address, at every company");
  const [third] = await db
    .sql`insert into companies (name, domain) values ('Hooli', 'hooli.example') returning id`;
  const later = await api(server.url, "POST", "/api/contacts", {
    token: user.token,
    body: { company_id: third.id, full_name: "Uma Later", email: "uma@initech.example", source: "t" },
  });
  assert.equal(later.status, 201);
  assert.equal(later.body.opted_out, true, "added later, still opted out");

  const bogus = await fetch(`${server.url}/unsubscribe/${"x".repeat(32)}`);
  assert.equal(bogus.status, 404);
  await bogus.body?.cancel();
  const sentBefore = fake.messages.length;
  await db.sql`update outreach set due_at = now() where contact_id = ${contact.id}`;
  await dispatchOutreach(appOn(db.sql));
  assert.equal(fake.messages.length, sentBefore, "an opted-out contact is never mailed");
  await server.close();
  await fake.close();
  await db.drop();
});

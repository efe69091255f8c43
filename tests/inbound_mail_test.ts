/**
 * Real mail through the signed routes (issue 11): each inbound kind posted to `/webhooks/mailgun/inbound` in
 * the shape Mailgun's route `forward()` uses, after a real enrollment and dispatch to the fake Mailgun; and the
 * `failed` reasons, bot opens and numeric timestamps of the event webhook.
 */
import assert from "node:assert/strict";
import { dispatchOutreach } from "@/jobs/dispatch_outreach.ts";
import { appOn } from "@/tests/helpers/app.ts";
import { signWebhook } from "@/core/webhook_signature.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { startFakeMailgun } from "@/tests/helpers/fake_mailgun.ts";
import { SAMPLES } from "@/tests/helpers/inbound_samples.ts";
import { createMailboxes } from "@/tests/helpers/outreach_fixtures.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";

const KEY = "webhook-signing-key-0123456789";
const db = await useAppDatabase("inbound_mail");
const fake = startFakeMailgun();
const server = await startTestServer({
  MAIL_TRANSPORT: "mailgun",
  MAILGUN_API_KEY: fake.apiKey,
  MAILGUN_URL: fake.url,
  MAILGUN_WEBHOOK_SIGNING_KEY: KEY,
});
const admin = { authorization: `Bearer ${TEST_ENV.ROLEFERRY_ADMIN_TOKEN}` };
const user = await createUserWithToken(server.url, { full_name: "Ines Inbound" });
// Dozens of sequences here: the plan without limits (plans are issue 14's, not this file's subject).
await db.sql`update users set subscription_tier = 'enterprise' where id = ${user.user.id}`;
const [company] = await db
  .sql`insert into companies (name, domain) values ('Initrode', 'initrode.example') returning id`;
const [seq] = await db.sql`select id from sequence_templates where name = 'Job Seeker Default'`;
await createMailboxes(db.sql, [100]);

/** A new application with one contact enrolled in the 3-step sequence, step 1 sent. */
async function enrolledAndSent(name: string) {
  const [job] = await db.sql`insert into jobs (source, title, company_id)
                             values ('test', ${"Analyst " + name}, ${company.id}) returning id`;
  const app = await api(server.url, "POST", "/api/applications", {
    token: user.token,
    body: { job_id: job.id },
  });
  const email = `${name.toLowerCase()}.${crypto.randomUUID().slice(0, 6)}@initrode.example`;
  const contact = await api(server.url, "POST", "/api/contacts", {
    token: user.token,
    body: { company_id: company.id, full_name: `${name} Person`, email, source: "t" },
  });
  const enrolled = await api(server.url, "POST", `/api/applications/${app.body.id}/outreach`, {
    token: user.token,
    body: { contact_id: contact.body.id, sequence_id: seq.id, variables: { my_metric: "saved $2M" } },
  });
  assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
  const result = await dispatchOutreach(appOn(db.sql));
  assert.equal(result.sent, 1, JSON.stringify(result));
  const [sent] = await db.sql`select * from outreach where id = ${enrolled.body.items[0].id}`;
  return { app: app.body, contact: contact.body, email, sent };
}

/** Posts a sample (its headers rewritten to answer `originalId`) as Mailgun's forward() form. */
async function postInbound(
  sample: { message: (typeof SAMPLES)[number]["message"] },
  options: { references?: string; to?: string; bodyMime?: string; messageId?: string } = {},
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(await signWebhook(KEY))) form.append(k, v);
  const m = sample.message;
  const messageId = options.messageId ?? `<${crypto.randomUUID()}@inbound.example>`;
  const headers = m.headers.filter(([k]) => !/^(in-reply-to|references|message-id)$/i.test(k));
  headers.push(["Message-Id", messageId]);
  if (options.references) {
    headers.push(["In-Reply-To", options.references], ["References", options.references]);
    form.append("In-Reply-To", options.references);
    form.append("References", options.references);
  }
  form.append("message-headers", JSON.stringify(headers));
  if (m.sender !== undefined) form.append("sender", m.sender);
  if (m.subject) form.append("subject", m.subject);
  const text = (m.text ?? "").replaceAll("dana@initech.example", options.to ?? "dana@initech.example");
  form.append("body-plain", text);
  form.append("stripped-text", text.split("\n>")[0]);
  if (options.bodyMime) form.append("body-mime", options.bodyMime);
  const res = await fetch(`${server.url}/webhooks/mailgun/inbound`, { method: "POST", body: form });
  return { status: res.status, type: res.headers.get("content-type"), body: await res.json() };
}

const sample = (name: string) => SAMPLES.find((s) => s.name.startsWith(name))!;
const steps = async (instance: number) =>
  await db.sql`select step_no, status, due_at, hold_reason from outreach
               where sequence_instance_id = ${instance} order by step_no`;

Deno.test("[e2e] inbound - a human reply quoting the original cancels steps 2 and 3 and moves the application", async () => {
  const { app, sent } = await enrolledAndSent("Hugo");
  const res = await postInbound(sample("Gmail reply quoting"), { references: sent.provider_message_id });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.match(res.type!, /application\/json/);
  assert.deepEqual([res.body.kind, res.body.action, res.body.outreach_id], ["human", "replied", sent.id]);
  assert.deepEqual((await steps(sent.sequence_instance_id)).map((s) => s.status), [
    "replied",
    "canceled",
    "canceled",
  ]);
  const [application] = await db.sql`select status from applications where id = ${app.id}`;
  assert.equal(application.status, "interviewing");
});

Deno.test("[e2e] inbound - an out-of-office delays the next steps to the day after the return date, cancels nothing", async () => {
  const { app, sent } = await enrolledAndSent("Olga");
  const before = await steps(sent.sequence_instance_id);
  const back = new Date(Date.now() + 20 * 86_400_000);
  const iso = back.toISOString().slice(0, 10);
  const ooo = structuredClone(sample("Exchange Online automatic reply").message);
  ooo.text = `Thank you for your message. I am out of the office until ${iso} with limited access to email.`;
  const res = await postInbound({ message: ooo }, { references: sent.provider_message_id });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual([res.body.kind, res.body.action], ["auto_reply", "delayed"]);
  const after = await steps(sent.sequence_instance_id);
  assert.deepEqual(after.map((s) => s.status), ["sent", "queued", "queued"], "nothing canceled");
  const dayAfter = new Date(`${iso}T09:00:00Z`).getTime() + 86_400_000;
  for (const i of [1, 2]) {
    assert.equal(after[i].hold_reason, "auto_reply_delay");
    assert.ok(after[i].due_at.getTime() >= dayAfter, `step ${i + 1} moved to the day after ${iso}`);
    assert.ok(after[i].due_at.getTime() >= before[i].due_at.getTime());
  }
  const [application] = await db.sql`select status from applications where id = ${app.id}`;
  assert.equal(application.status, "applied", "the application does not move");

  const timeline = await api(server.url, "GET", `/api/applications/${app.id}/outreach`, {
    token: user.token,
  });
  assert.equal(timeline.status, 200);
  assert.deepEqual(timeline.body.items.map((i: { waiting_reason?: string }) => i.waiting_reason ?? null), [
    null,
    "auto_reply_delay",
    "auto_reply_delay",
  ]);
  assert.equal(timeline.body.inbound.length, 1);
  assert.deepEqual(
    [timeline.body.inbound[0].kind, timeline.body.inbound[0].return_date],
    ["auto_reply", iso],
  );
  const page = await fetch(`${server.url}/applications/${app.id}`, {
    headers: { authorization: `Bearer ${user.token}` },
  });
  assert.equal(page.status, 200);
  assert.match(await page.text(), new RegExp(`auto-reply: away until ${iso}; next step moved to`));
});

Deno.test("[e2e] inbound - an auto-reply without a date delays by the configured days (3)", async () => {
  const { sent } = await enrolledAndSent("Pia");
  const started = Date.now();
  const res = await postInbound(sample("Gmail vacation responder that keeps"), {
    references: sent.provider_message_id,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.kind, "auto_reply");
  const after = await steps(sent.sequence_instance_id);
  assert.ok(after[1].due_at.getTime() >= started + 3 * 86_400_000 - 1000);
  assert.deepEqual(after.map((s) => s.status), ["sent", "queued", "queued"]);
});

Deno.test("[e2e] inbound - a Postfix bounce whose Message-ID is only in the report part bounces the row", async () => {
  const { contact, email, sent } = await enrolledAndSent("Bert");
  const mime = [
    "From: MAILER-DAEMON@mx.initrode.example (Mail Delivery System)",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="8A2F"',
    "",
    "--8A2F",
    "Content-Type: text/plain",
    "",
    "I'm sorry to have to inform you that your message could not be delivered.",
    "--8A2F",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.initrode.example",
    "",
    `Final-Recipient: rfc822; ${email}`,
    "Action: failed",
    "Status: 5.1.1",
    `Diagnostic-Code: smtp; 550 5.1.1 <${email}>: User unknown`,
    "--8A2F",
    "Content-Type: text/rfc822-headers",
    "",
    `From: Ines Inbound <${sent.from_mailbox}>`,
    `Message-ID: ${sent.provider_message_id}`,
    "Subject: Quick advice",
    "--8A2F--",
    "",
  ].join("\r\n");
  const postfix = structuredClone(sample("Postfix bounce").message);
  postfix.text = "I'm sorry to have to inform you that your message could not be delivered.";
  const res = await postInbound({ message: postfix }, { bodyMime: mime });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual([res.body.kind, res.body.action, res.body.outreach_id], ["bounce", "bounced", sent.id]);
  assert.deepEqual((await steps(sent.sequence_instance_id)).map((s) => s.status), [
    "bounced",
    "canceled",
    "canceled",
  ]);
  const [c] = await db.sql`select bounce_count from contacts where id = ${contact.id}`;
  assert.equal(c.bounce_count, 1);
  const [stored] = await db.sql`select matched_by, bounce_status, bounce_recipient from inbound_messages
                                where id = ${res.body.inbound_id}`;
  assert.deepEqual({ ...stored }, {
    matched_by: "report_message_id",
    bounce_status: "5.1.1",
    bounce_recipient: email,
  });
});

Deno.test("[e2e] inbound - an Exchange NDR naming only the Final-Recipient is matched by it", async () => {
  const { email, sent } = await enrolledAndSent("Nora");
  const ndr = structuredClone(sample("French Exchange NDR").message);
  ndr.parts = undefined;
  ndr.text =
    `Votre message n'a pas pu être remis.\n\nFinal-Recipient: rfc822;${email}\nAction: failed\nStatus: 5.2.2\n`;
  const res = await postInbound({ message: ndr });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual([res.body.kind, res.body.outreach_id], ["bounce", sent.id]);
  const [row] = await db.sql`select status from outreach where id = ${sent.id}`;
  assert.equal(row.status, "bounced");
});

Deno.test("[e2e] inbound - other automated mail is stored, changes nothing; unmatched mail is kept for review (406)", async () => {
  const { sent } = await enrolledAndSent("Otto");
  const other = await postInbound(sample("newsletter"), { references: sent.provider_message_id });
  assert.equal(other.status, 200, JSON.stringify(other.body));
  assert.deepEqual([other.body.kind, other.body.action], ["other", "stored"]);
  assert.deepEqual((await steps(sent.sequence_instance_id)).map((s) => s.status), [
    "sent",
    "queued",
    "queued",
  ]);

  const messageId = `<lost-${crypto.randomUUID()}@elsewhere.example>`;
  const lost = await postInbound(sample("Apple Mail human reply"), {
    references: "<never-sent@nowhere.example>",
    messageId,
  });
  assert.equal(lost.status, 406);
  const review = await api(server.url, "GET", "/api/admin/inbound?matched=false&kind=human", {
    headers: admin,
  });
  assert.equal(review.status, 200);
  const item = review.body.items.find((i: { message_id: string }) => i.message_id === messageId);
  assert.ok(item, "the unmatched reply is listed for review");
  assert.equal(item.action, "unmatched");
  assert.ok(item.raw_headers.some(([k]: [string, string]) => k === "X-Mailer"), "raw headers kept");
  const bad = await api(server.url, "GET", "/api/admin/inbound?kind=spam", { headers: admin });
  assert.equal(bad.status, 422);
  assert.ok(bad.body.error.fields.kind);
  const anonymous = await api(server.url, "GET", "/api/admin/inbound");
  assert.equal(anonymous.status, 401);
  const page = await fetch(`${server.url}/admin/inbound?matched=false`, { headers: admin });
  assert.equal(page.status, 200);
  assert.match(await page.text(), new RegExp(`<td>unmatched</td>`));
  const refusedPage = await fetch(`${server.url}/admin/inbound`);
  assert.equal(refusedPage.status, 401);
  await refusedPage.body?.cancel();
});

Deno.test("[e2e] inbound - Mailgun retrying the same message applies it once", async () => {
  const { sent } = await enrolledAndSent("Ruth");
  const messageId = `<retry-${crypto.randomUUID()}@initrode.example>`;
  const first = await postInbound(sample("Gmail vacation responder (custom"), {
    references: sent.provider_message_id,
    messageId,
  });
  const [afterFirst] = await db.sql`select due_at from outreach
                                    where sequence_instance_id = ${sent.sequence_instance_id} and step_no = 2`;
  const second = await postInbound(sample("Gmail vacation responder (custom"), {
    references: sent.provider_message_id,
    messageId,
  });
  assert.deepEqual([first.status, second.status], [200, 200]);
  assert.deepEqual([first.body.result, second.body.result], ["applied", "duplicate"]);
  const [afterSecond] = await db.sql`select due_at from outreach
                                     where sequence_instance_id = ${sent.sequence_instance_id} and step_no = 2`;
  assert.equal(afterSecond.due_at.getTime(), afterFirst.due_at.getTime());
});

async function event(sent: Record<string, string>, eventName: string, extra: Record<string, unknown> = {}) {
  const signature = await signWebhook(KEY);
  const res = await fetch(`${server.url}/webhooks/mailgun/events`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      signature: { ...signature, timestamp: Number(signature.timestamp) },
      "event-data": {
        event: eventName,
        id: crypto.randomUUID(),
        timestamp: Date.now() / 1000,
        "user-variables": { outreach: sent.outreach_token },
        message: { headers: { "message-id": sent.provider_message_id.slice(1, -1) } },
        ...extra,
      },
    }),
  });
  return { status: res.status, body: await res.json() };
}

Deno.test("[e2e] events - suppress-unsubscribe opts out, suppress-bounce bounces without a new count, bots are not counted", async () => {
  const a = await enrolledAndSent("Sue");
  const unsub = await event(a.sent, "failed", { severity: "permanent", reason: "suppress-unsubscribe" });
  assert.equal(unsub.status, 200, JSON.stringify(unsub.body));
  const [ca] = await db.sql`select opted_out, bounce_count from contacts where id = ${a.contact.id}`;
  assert.deepEqual({ ...ca }, { opted_out: true, bounce_count: 0 });
  assert.deepEqual((await steps(a.sent.sequence_instance_id)).map((s) => s.status), [
    "failed",
    "canceled",
    "canceled",
  ]);

  const b = await enrolledAndSent("Sid");
  const complaint = await event(b.sent, "failed", { severity: "permanent", reason: "suppress-complaint" });
  assert.equal(complaint.status, 200);
  const [cb] = await db.sql`select opted_out from contacts where id = ${b.contact.id}`;
  assert.equal(cb.opted_out, true);

  const c = await enrolledAndSent("Sal");
  const suppressed = await event(c.sent, "failed", { severity: "permanent", reason: "suppress-bounce" });
  assert.equal(suppressed.status, 200);
  const [cc] = await db.sql`select bounce_count from contacts where id = ${c.contact.id}`;
  assert.equal(cc.bounce_count, 0, "an old bounce is not counted again");
  assert.deepEqual((await steps(c.sent.sequence_instance_id)).map((s) => s.status), [
    "bounced",
    "canceled",
    "canceled",
  ]);

  const d = await enrolledAndSent("Bob");
  const botOpen = await event(d.sent, "opened", {
    "client-info": { bot: "apple", "client-type": "browser" },
  });
  const botClick = await event(d.sent, "clicked", { "client-info": { bot: "barracuda" } });
  assert.deepEqual([botOpen.status, botClick.status], [200, 200], "numeric signature timestamps accepted");
  const [row] = await db.sql`select opened_at, clicked_at, link_clicks from outreach where id = ${d.sent.id}`;
  assert.deepEqual({ ...row }, { opened_at: null, clicked_at: null, link_clicks: 0 });
  const [{ n }] = await db.sql`select count(*)::int as n from outreach_events where outreach_id = ${d.sent.id}
                               and event in ('opened', 'clicked')`;
  assert.equal(n, 2, "bot events are stored");
  const human = await event(d.sent, "opened", {
    "client-info": { bot: "", "client-type": "mobile browser" },
  });
  assert.equal(human.status, 200);
  const [opened] = await db.sql`select opened_at from outreach where id = ${d.sent.id}`;
  assert.ok(opened.opened_at instanceof Date);
});

Deno.test("[e2e] sequences - a follow-up without a subject is queued as Re: <step 1 subject>", async () => {
  const created = await api(server.url, "POST", "/api/sequences", {
    token: user.token,
    body: {
      name: `Threaded ${crypto.randomUUID().slice(0, 6)}`,
      steps: [
        { step_no: 1, delay_hours: 0, subject: "Quick question about {{role}}", body: "Hi {{first_name}}" },
        { step_no: 2, delay_hours: 48, subject: "", body: "Bumping this, {{first_name}}" },
      ],
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const refused = await api(server.url, "POST", "/api/sequences", {
    token: user.token,
    body: { name: "No subject", steps: [{ step_no: 1, delay_hours: 0, subject: " ", body: "Hi" }] },
  });
  assert.equal(refused.status, 422);
  assert.ok(refused.body.error.fields["steps.0.subject"]);

  const [job] = await db.sql`insert into jobs (source, title, company_id)
                             values ('test', 'Data Engineer', ${company.id}) returning id`;
  const app = await api(server.url, "POST", "/api/applications", {
    token: user.token,
    body: { job_id: job.id },
  });
  const contact = await api(server.url, "POST", "/api/contacts", {
    token: user.token,
    body: { company_id: company.id, full_name: "Tess Thread", email: "tess@initrode.example", source: "t" },
  });
  const enrolled = await api(server.url, "POST", `/api/applications/${app.body.id}/outreach`, {
    token: user.token,
    body: { contact_id: contact.body.id, sequence_id: created.body.id },
  });
  assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
  assert.deepEqual(enrolled.body.items.map((i: { subject: string }) => i.subject), [
    "Quick question about Data Engineer",
    "Re: Quick question about Data Engineer",
  ]);
  await db.sql`update outreach set status = 'canceled' where application_id = ${app.body.id}`; // not sent here
});

Deno.test("[e2e] PUT /api/me/sender - a Reply-To goes out with the user's outreach; a bad one is a 422", async () => {
  const bad = await api(server.url, "PUT", "/api/me/sender", {
    token: user.token,
    body: { reply_to: "nope" },
  });
  assert.equal(bad.status, 422);
  assert.ok(bad.body.error.fields.reply_to);
  const set = await api(server.url, "PUT", "/api/me/sender", {
    token: user.token,
    body: { reply_to: "Ines.Personal@example.org" },
  });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.deepEqual(set.body, { from_name: "Ines Inbound", reply_to: "ines.personal@example.org" });
  const { sent } = await enrolledAndSent("Rita");
  const message = fake.messages.find((m) => m.fields["v:outreach"] === sent.outreach_token)!;
  assert.equal(message.fields["h:Reply-To"], "ines.personal@example.org");
  assert.equal(message.fields.from, `"Ines Inbound" <${sent.from_mailbox}>`);
  const cleared = await api(server.url, "PUT", "/api/me/sender", {
    token: user.token,
    body: { reply_to: null },
  });
  assert.equal(cleared.body.reply_to, null);
  const read = await api(server.url, "GET", "/api/me/sender", { token: user.token });
  assert.deepEqual(read.body, { from_name: "Ines Inbound", reply_to: null });
});

Deno.test("[e2e] inbound - every sample of the table, posted through the signed route, is stored with its kind", async () => {
  for (const s of SAMPLES) {
    const { sent } = await enrolledAndSent(`S${SAMPLES.indexOf(s)}`);
    const res = await postInbound(s, { references: sent.provider_message_id });
    assert.equal(res.status, 200, `${s.name}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.kind, s.kind, s.name);
    const expected = { human: "replied", auto_reply: "delayed", bounce: "bounced", other: "stored" }[s.kind];
    assert.equal(res.body.action, expected, s.name);
    const [row] = await db.sql`select status from outreach where id = ${sent.id}`;
    const status = { human: "replied", auto_reply: "sent", bounce: "bounced", other: "sent" }[s.kind];
    assert.equal(row.status, status, s.name);
  }
});

Deno.test("[e2e] inbound - an auto-reply without In-Reply-To is matched by its sender when only one application mailed them", async () => {
  const { email, sent } = await enrolledAndSent("Vera");
  const ooo = structuredClone(sample("Apple iCloud vacation reply").message);
  ooo.headers = ooo.headers.map(([k, v]) =>
    [k, k === "From" ? `Vera Person <${email}>` : v] as [string, string]
  );
  ooo.sender = email;
  const res = await postInbound({ message: ooo });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual([res.body.kind, res.body.outreach_id], ["auto_reply", sent.id]);
  const [stored] = await db.sql`select matched_by from inbound_messages where id = ${res.body.inbound_id}`;
  assert.equal(stored.matched_by, "sender");
  // A human reply without references is never matched by sender: it stays for review.
  const human = structuredClone(sample("Gmail reply quoting").message);
  human.headers = human.headers.map(([k, v]) =>
    [k, k === "From" ? `Vera Person <${email}>` : v] as [string, string]
  );
  human.sender = email;
  const lost = await postInbound({ message: human });
  assert.equal(lost.status, 406);
  const [row] = await db.sql`select status from outreach where id = ${sent.id}`;
  assert.equal(row.status, "sent");
});

Deno.test("[e2e] inbound - signed but malformed mail is stored for review, never a 5xx", async () => {
  const shapes: Record<string, string>[] = [
    { "message-headers": "{not json", subject: "x".repeat(10_000) },
    {
      "message-headers": JSON.stringify([["From", 42], "junk", ["Auto-Submitted"]]),
      "body-plain": "\u0000\ud800",
    },
    {
      "body-mime":
        `boundary="a"\r\n--a\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n--a--`.repeat(
          200,
        ),
    },
    { "In-Reply-To": "<" + "x".repeat(2000) + ">", References: "<<<>>>", sender: "not an address" },
  ];
  for (const shape of shapes) {
    const form = new FormData();
    for (const [k, v] of Object.entries(await signWebhook(KEY))) form.append(k, v);
    for (const [k, v] of Object.entries(shape)) form.append(k, v);
    const res = await fetch(`${server.url}/webhooks/mailgun/inbound`, { method: "POST", body: form });
    assert.equal(res.status, 406, JSON.stringify(shape).slice(0, 200));
    await res.body?.cancel();
  }
});

/**
 * A battery of forged, stale and replayed Mailgun webhooks (events and
 * inbound replies): every one is refused with 406 and changes nothing, while
 * the same request correctly signed and fresh is accepted once (the control
 * that shows the refusals are not an accident of a broken route).
 */
import assert from "node:assert/strict";
import { hmacSha256Hex } from "@/core/crypto.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { startTestServer } from "@/tests/helpers/server.ts";
import { tablesWrittenBy } from "@/tests/helpers/writes.ts";

const KEY = "battery-signing-key-0123456789";
const db = await useAppDatabase("webhook_battery");
const server = await startTestServer({ MAILGUN_WEBHOOK_SIGNING_KEY: KEY }, { sql: db.sql });

const now = () => Math.floor(Date.now() / 1000);
const freshToken = () => crypto.randomUUID().replaceAll("-", "") + crypto.randomUUID().replaceAll("-", "");

async function sign(timestamp = String(now()), token = freshToken(), key = KEY) {
  return { timestamp, token, signature: await hmacSha256Hex(key, timestamp + token) };
}

/** One sent outreach row to aim the events and replies at (fixture written as the owner). */
const [fixture] = await db.sql`
  with c as (insert into companies (name, domain) values ('Battery Co', 'battery.example') returning id),
  j as (insert into jobs (source, title, company_id) select 'test', 'Engineer', id from c returning id),
  u as (insert into users (email, full_name, email_verified, subscription_tier)
         values ('battery@example.test', 'Battery', true, 'enterprise') returning id),
  a as (insert into applications (user_id, job_id) select u.id, j.id from u, j returning id),
  ct as (insert into contacts (company_id, full_name, email, source)
         select id, 'Ann Reply', 'ann@battery.example', 'test' from c returning id)
  insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox, status, sent_at,
                        outreach_token, provider_message_id)
  select a.id, ct.id, 1, 'Hello', 'Body', 'sender@mb.battery.example', 'sent', now(),
         'battery-outreach-token-0001', '<battery-message-1@mb.battery.example>'
  from a, ct
  returning id, application_id`;

function eventBody(signature: Record<string, string>, event = "delivered", id = crypto.randomUUID()) {
  return {
    signature,
    "event-data": {
      event,
      id,
      timestamp: now(),
      recipient: "ann@battery.example",
      "user-variables": { outreach: "battery-outreach-token-0001" },
      message: { headers: { "message-id": "battery-message-1@mb.battery.example" } },
    },
  };
}

function inboundForm(signature: Record<string, string>, text = "Happy to chat!") {
  const form = new URLSearchParams({
    ...signature,
    sender: "ann@battery.example",
    recipient: "sender@mb.battery.example",
    subject: "Re: Hello",
    "In-Reply-To": "<battery-message-1@mb.battery.example>",
    References: "<battery-message-1@mb.battery.example>",
    "stripped-text": text,
    "message-headers": JSON.stringify([["Message-Id", `<${crypto.randomUUID()}@battery.example>`]]),
  });
  return form;
}

async function postEvent(base: string, body: unknown) {
  const res = await fetch(`${base}/webhooks/mailgun/events`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
}

async function postInbound(base: string, form: URLSearchParams) {
  const res = await fetch(`${base}/webhooks/mailgun/inbound`, { method: "POST", body: form });
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
}

/**
 * Asserts a refusal: 406, a JSON error, and no write anywhere in the database (but `writes`: a correctly
 * signed request that is refused later still uses up its token, in webhook_tokens).
 */
async function refused(
  label: string,
  send: () => Promise<{ status: number; type: string; text: string }>,
  writes: string[] = [],
) {
  const { value: res, tables } = await tablesWrittenBy(db.sql, send);
  assert.equal(res.status, 406, `${label}: ${res.status} ${res.text.slice(0, 200)}`);
  assert.match(res.type, /application\/json/, `${label}: JSON error`);
  assert.equal(typeof JSON.parse(res.text).error?.code, "string", `${label}: error.code`);
  assert.deepEqual(tables, writes, `${label}: nothing written${writes.length ? ` but ${writes}` : ""}`);
}

const ago = (seconds: number) => String(now() - seconds);

const forgedEvents: [string, () => Promise<unknown>][] = [
  ["random signature", async () => eventBody({ ...(await sign()), signature: "ab".repeat(32) })],
  [
    "signed with another key",
    async () => eventBody(await sign(undefined, undefined, "another-key-0123456789")),
  ],
  ["timestamp changed after signing", async () => {
    const s = await sign();
    return eventBody({ ...s, timestamp: String(Number(s.timestamp) + 1) });
  }],
  ["token changed after signing", async () => eventBody({ ...(await sign()), token: freshToken() })],
  ["signature truncated", async () => {
    const s = await sign();
    return eventBody({ ...s, signature: s.signature.slice(0, 63) });
  }],
  ["signature empty", async () => eventBody({ ...(await sign()), signature: "" })],
  ["no signature object", () => Promise.resolve({ "event-data": eventBody({})["event-data"] })],
  [
    "signature fields of the wrong type",
    () =>
      Promise.resolve(
        eventBody({ timestamp: now(), token: 1, signature: null } as unknown as Record<string, string>),
      ),
  ],
  ["stale: signed 10 minutes ago", async () => eventBody(await sign(ago(600)))],
  ["stale: signed a day ago", async () => eventBody(await sign(ago(86_400)))],
  ["from the future: 10 minutes ahead", async () => eventBody(await sign(ago(-600)))],
  ["timestamp not a number", async () => eventBody(await sign("17e8"))],
];

Deno.test("Webhook battery - forged, stale and malformed event webhooks are refused and change nothing", async () => {
  for (const [label, make] of forgedEvents) {
    await refused(label, async () => postEvent(server.url, await make()));
  }
  await refused("not JSON", () => postEvent(server.url, "{"));
});

Deno.test("Webhook battery - a replayed event is refused, even with other event data", async () => {
  const signature = await sign();
  const first = await postEvent(server.url, eventBody(signature, "delivered"));
  assert.equal(first.status, 200, `control: a signed fresh event is accepted (${first.text.slice(0, 200)})`);
  assert.match(first.type, /application\/json/);
  const [{ events }] = await db.sql`select count(*)::int as events from outreach_events
                                    where outreach_id = ${fixture.id}`;
  assert.equal(events, 1, "the accepted event is recorded once");
  await refused("exact replay", () => postEvent(server.url, eventBody(signature, "delivered")));
  await refused("replay as a complaint", () => postEvent(server.url, eventBody(signature, "complained")));
  await refused("replay with a new event id", () => postEvent(server.url, eventBody(signature, "opened")));
  const [{ after }] = await db
    .sql`select count(*)::int as after from outreach_events where outreach_id = ${fixture.id}`;
  assert.equal(after, 1, "replays added no event");
});

Deno.test("Webhook battery - a signed request refused for any reason uses up its signature", async () => {
  const contactOptedOut = async () =>
    (await db.sql`select opted_out from contacts where email = 'ann@battery.example'`)[0].opted_out;
  // 406 "not handled", then the same signature as a complaint.
  const unhandled = await sign();
  await refused("event not handled", () => postEvent(server.url, eventBody(unhandled, "accepted")), [
    "webhook_tokens",
  ]);
  await refused(
    "not handled, replayed as a complaint",
    () => postEvent(server.url, eventBody(unhandled, "complained")),
  );
  // 406 "no outreach matches", then the same signature aimed at the real outreach.
  const unmatched = await sign();
  const nowhere = eventBody(unmatched, "complained");
  nowhere["event-data"]["user-variables"].outreach = "no-such-outreach-token";
  nowhere["event-data"].message.headers["message-id"] = "no-such-message@x.example";
  await refused("unknown outreach (signed and fresh)", () => postEvent(server.url, nowhere), [
    "webhook_tokens",
  ]);
  await refused(
    "unmatched, replayed at the real outreach",
    () => postEvent(server.url, eventBody(unmatched, "complained")),
  );
  // 406 for event data that is not Mailgun's, then the same signature with good data.
  const malformed = await sign();
  await refused(
    "unknown event data",
    () => postEvent(server.url, { signature: malformed, "event-data": 1 }),
    [
      "webhook_tokens",
    ],
  );
  await refused(
    "malformed, replayed well formed",
    () => postEvent(server.url, eventBody(malformed, "complained")),
  );
  assert.equal(await contactOptedOut(), false, "no replay opted the contact out");
  // Inbound: an unmatched reply, then the same signature with a matching one.
  const inbound = await sign();
  const stray = inboundForm(inbound);
  stray.set("In-Reply-To", "<someone-else@x.example>");
  stray.set("References", "<someone-else@x.example>");
  // Unmatched mail is kept for review (issue 11: inbound_messages), and nothing else.
  await refused("inbound unmatched", () => postInbound(server.url, stray), [
    "inbound_messages",
    "webhook_tokens",
  ]);
  await refused("inbound unmatched, replayed matching", () => postInbound(server.url, inboundForm(inbound)));
  const [row] = await db.sql`select status from outreach where id = ${fixture.id}`;
  assert.notEqual(row.status, "replied", "no replayed reply marked the outreach replied");
});

Deno.test("Webhook battery - forged, stale and replayed inbound replies are refused and stop nothing", async () => {
  await refused(
    "inbound: random signature",
    async () => postInbound(server.url, inboundForm({ ...(await sign()), signature: "cd".repeat(32) })),
  );
  await refused(
    "inbound: another key",
    async () =>
      postInbound(server.url, inboundForm(await sign(undefined, undefined, "another-key-0123456789"))),
  );
  await refused("inbound: stale", async () => postInbound(server.url, inboundForm(await sign(ago(900)))));
  await refused("inbound: future", async () => postInbound(server.url, inboundForm(await sign(ago(-900)))));
  await refused("inbound: no signature fields", () => {
    const form = inboundForm({});
    return postInbound(server.url, form);
  });
  const [row] = await db.sql`select status from outreach where id = ${fixture.id}`;
  assert.notEqual(row.status, "replied", "no forged reply marked the outreach replied");

  const signature = await sign();
  const first = await postInbound(server.url, inboundForm(signature));
  assert.equal(first.status, 200, `control: a signed fresh reply is accepted (${first.text.slice(0, 200)})`);
  const [replied] = await db.sql`select status from outreach where id = ${fixture.id}`;
  assert.equal(replied.status, "replied", "the real reply is matched by In-Reply-To");
  await refused("inbound: replay", () => postInbound(server.url, inboundForm(signature, "replayed text")));
});

Deno.test("Webhook battery - without a signing key the webhooks answer 503 and write nothing", async () => {
  await server.close(); // the configuration is per process: the keyed server goes first
  const unkeyed = await startTestServer({ MAILGUN_WEBHOOK_SIGNING_KEY: "" }, { sql: db.sql });
  const { value: [event, inbound], tables } = await tablesWrittenBy(db.sql, async () => [
    await postEvent(unkeyed.url, eventBody(await sign())),
    await postInbound(unkeyed.url, inboundForm(await sign())),
  ]);
  assert.equal(event.status, 503);
  assert.match(event.type, /application\/json/);
  assert.equal(inbound.status, 503);
  assert.match(inbound.type, /application\/json/);
  assert.deepEqual(tables, [], "nothing written");
  await unkeyed.close();
  await db.drop();
});

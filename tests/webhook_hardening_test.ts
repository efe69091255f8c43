/**
 * Issue 9, webhooks: the inbound form is verified before it is read in full (a forged one is refused while
 * it still streams, a large real one is streamed past its attachments), and text PostgreSQL cannot store
 * (lone surrogates, NUL) in signed provider data is stored cleaned, never a 500.
 */
import assert from "node:assert/strict";
import { signWebhook } from "@/core/webhook_signature.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { startTestServer } from "@/tests/helpers/server.ts";

const KEY = "hardening-signing-key-0123456789";
const db = await useAppDatabase("webhook_hardening");
const server = await startTestServer({ MAILGUN_WEBHOOK_SIGNING_KEY: KEY }, { sql: db.sql });

const [fixture] = await db.sql`
  with c as (insert into companies (name, domain) values ('Stream Co', 'stream.example') returning id),
  j as (insert into jobs (source, title, company_id) select 'test', 'Engineer', id from c returning id),
  u as (insert into users (email, full_name) values ('stream@example.test', 'Stream') returning id),
  a as (insert into applications (user_id, job_id) select u.id, j.id from u, j returning id),
  ct as (insert into contacts (company_id, full_name, email, source)
         select id, 'Sue Stream', 'sue@stream.example', 'test' from c returning id)
  insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox, status, sent_at,
                        outreach_token, provider_message_id)
  select a.id, ct.id, 1, 'Hello', 'Body', 'sender@mb.stream.example', 'sent', now(),
         'stream-outreach-token-0001', '<stream-message-1@mb.stream.example>'
  from a, ct
  returning id`;

Deno.test("[e2e] Mailgun inbound - a forged form is refused while its body still streams", async () => {
  const boundary = "----forged";
  const head = new TextEncoder().encode(
    ["timestamp", "token", "signature"].map((name) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${
        name === "signature"
          ? "ab".repeat(32)
          : name === "token"
          ? "t".repeat(50)
          : Math.floor(Date.now() / 1000)
      }\r\n`
    ).join("") +
      `--${boundary}\r\nContent-Disposition: form-data; name="attachment-1"; filename="big.bin"\r\n\r\n`,
  );
  let sent = 0;
  let stop = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stop) return controller.close();
      controller.enqueue(sent === 0 ? head : new Uint8Array(64 * 1024));
      sent += sent === 0 ? head.byteLength : 64 * 1024;
      // A slow sender: 64 KiB every 20 ms, so 25 MB would take 8 s.
      await new Promise((resolve) => setTimeout(resolve, 20));
    },
  });
  const started = performance.now();
  const res = await fetch(`${server.url}/webhooks/mailgun/inbound`, {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    body,
    signal: AbortSignal.timeout(5_000),
  });
  const ms = performance.now() - started;
  stop = true;
  assert.equal(res.status, 406);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  assert.match((await res.json()).error.message, /signature forged/);
  assert.ok(
    sent < 4 * 1024 * 1024,
    `refused after ${sent} bytes (${ms.toFixed(0)} ms), not after the whole body`,
  );
});

Deno.test("[e2e] Mailgun inbound - a signed reply whose 5 MB attachment comes before the signature applies", async () => {
  const form = new FormData();
  form.append("sender", "sue@stream.example");
  form.append("subject", "Re: Hello");
  form.append("attachment-1", new File([new Uint8Array(5 * 1024 * 1024).fill(45)], "deck.pdf"));
  form.append("In-Reply-To", "<stream-message-1@mb.stream.example>");
  form.append("stripped-text", "Sure \0 thing \ud800");
  form.append("message-headers", JSON.stringify([["Message-Id", "<reply\u0000-\ud800@stream.example>"]]));
  for (const [k, v] of Object.entries(await signWebhook(KEY))) form.append(k, v);
  const res = await fetch(`${server.url}/webhooks/mailgun/inbound`, { method: "POST", body: form });
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal((await res.json()).outreach_id, fixture.id);
  const [event] = await db.sql`select provider_event_id, payload from outreach_events
                               where outreach_id = ${fixture.id} and event = 'replied'`;
  assert.equal(event.provider_event_id, "inbound:<reply-\ufffd@stream.example>");
  // The message itself is kept in inbound_messages (issue 11), cleaned the same way.
  const [inbound] = await db.sql`select stripped_text, raw_headers from inbound_messages
                                 where id = ${event.payload.inbound_id}::int`;
  assert.equal(inbound.stripped_text, "Sure  thing \ufffd");
  assert.deepEqual(inbound.raw_headers, [["Message-Id", "<reply-\ufffd@stream.example>"]]);
});

Deno.test("[e2e] Mailgun events - a lone surrogate or NUL in signed event data is stored cleaned, not a 500", async () => {
  const signature = await signWebhook(KEY);
  const raw = `{"signature": ${
    JSON.stringify(signature)
  }, "event-data": {"event": "opened", "id": "ev-\\ud800-1",
    "timestamp": ${
    Date.now() / 1000
  }, "user-variables": {"outreach": "stream-outreach-token-0001", "x\\u0000": "\\udfff"},
    "message": {"headers": {"message-id": "stream-message-1@mb.stream.example"}}, "note": "a\\u0000b\\ud800"}}`;
  const res = await fetch(`${server.url}/webhooks/mailgun/events`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: raw,
  });
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal((await res.json()).result, "applied");
  const [event] = await db.sql`select provider_event_id, payload from outreach_events
                               where outreach_id = ${fixture.id} and event = 'opened'`;
  assert.equal(event.provider_event_id, "ev-\ufffd-1");
  assert.equal(event.payload.note, "ab\ufffd");
  assert.equal(event.payload["user-variables"].x, "\ufffd");
});

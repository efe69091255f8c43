/**
 * Throughput of one dispatcher process to the fake Mailgun on loopback, printed (never asserted: numbers
 * belong in benchmarks, and this machine is shared). The assertions are about correctness at that pace:
 * every row sent exactly once.
 *   deno task test tests/dispatch_throughput_test.ts
 */
import assert from "node:assert/strict";
import { connect } from "@/db/client.ts";
import { loadConfig, setConfig } from "@/fresh.config.ts";
import { dispatchOutreach } from "@/jobs/dispatch_outreach.ts";
import { appOn } from "@/tests/helpers/app.ts";
import { mailgunTransport } from "@/services/mail/mailgun.ts";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { startFakeMailgun } from "@/tests/helpers/fake_mailgun.ts";
import {
  createContacts,
  createMailboxes,
  createSender,
  FIXTURE_SECRET,
  queueFirstSteps,
} from "@/tests/helpers/outreach_fixtures.ts";

const ROWS = Number(Deno.env.get("DISPATCH_ROWS") ?? 2000);

Deno.test("[e2e] dispatchOutreach throughput - one process, 16 in flight, 100 senders, every row once", async () => {
  const db = await useAppDatabase("dispatch_throughput");
  const sql = await connect(db.url, { max: 16 }); // as many connections as messages in flight
  const fake = startFakeMailgun();
  try {
    setConfig(
      loadConfig({
        ROLEFERRY_ENV: "test",
        ROLEFERRY_SECRET: FIXTURE_SECRET,
        APP_BASE_URL: "http://app.example",
      }),
    );
    // 100 senders with 20 contacts each, as in real use (one application row per sender: the seed's trigger
    // touches it on every status change, so a single shared application would serialize every send).
    for (let i = 0; i < ROWS / 20; i++) {
      const sender = await createSender(sql);
      await queueFirstSteps(sql, sender.applicationId, await createContacts(sql, sender.companyId, 20));
    }
    await createMailboxes(sql, [ROWS, ROWS, ROWS, ROWS, ROWS]);
    await sql`analyze outreach`;
    const transport = mailgunTransport({ apiKey: fake.apiKey, url: fake.url });
    const started = performance.now();
    let sent = 0;
    for (let run = 0; run < 100 && sent < ROWS; run++) {
      const result = await dispatchOutreach(appOn(sql), {
        transport,
        concurrency: 16,
        batchSize: 100,
        maxRuntimeMs: 600_000,
      });
      sent += result.sent;
      if (result.claimed === 0) break;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `dispatch throughput: ${sent} emails in ${seconds.toFixed(2)} s = ${
        (sent / seconds).toFixed(0)
      } emails/s`,
    );
    assert.equal(sent, ROWS);
    const tokens = fake.messages.map((m) => m.fields["v:outreach"]);
    assert.equal(new Set(tokens).size, ROWS, "every row exactly once");
    const ids = new Map(fake.messages.map((m) => [m.fields["v:outreach"], m.id]));
    const rows = await sql<{ outreach_token: string; status: string; provider_message_id: string }[]>`
      select outreach_token, status, provider_message_id from outreach`;
    assert.deepEqual(
      rows.filter((r) => r.status !== "sent" || r.provider_message_id !== ids.get(r.outreach_token)).length,
      0,
      "every row recorded as sent with Mailgun's id for it (the outcomes written in groups all arrived)",
    );
    const [{ reserved }] = await sql`select sum(sent_today)::int as reserved from mailboxes`;
    assert.equal(reserved, ROWS, "capacity: exactly one unit per message, every unused unit given back");
  } finally {
    await fake.close();
    await db.drop();
  }
});

/**
 * A dispatcher process SIGKILLed in the middle of a batch, at the worst
 * moment (Mailgun has accepted a message, the dispatcher has not heard the
 * answer), then restarted: no message reaches the fake twice and no row is
 * stuck for good.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { startFakeMailgun } from "@/tests/helpers/fake_mailgun.ts";
import {
  createContacts,
  createMailboxes,
  createSender,
  queueFirstSteps,
} from "@/tests/helpers/outreach_fixtures.ts";

const ROWS = 200;

Deno.test("[e2e] dispatcher SIGKILLed mid-batch and restarted - nothing twice, nothing stuck", async () => {
  const db = await useAppDatabase("dispatch_crash");
  const fake = startFakeMailgun();
  try {
    const sender = await createSender(db.sql);
    await queueFirstSteps(db.sql, sender.applicationId, await createContacts(db.sql, sender.companyId, ROWS));
    await createMailboxes(db.sql, [1000, 1000]);
    const env = {
      DATABASE_URL: db.url,
      MAILGUN_URL: fake.url,
      MAILGUN_API_KEY: fake.apiKey,
      NO_COLOR: "1",
      // Short leases and no grace period, so the restart does not wait minutes (the lookup still decides).
      DISPATCH_OPTIONS: JSON.stringify({
        batchSize: 50,
        concurrency: 4,
        leaseSeconds: 2,
        recoveryGraceMs: 0,
      }),
    };
    const spawn = () =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "tests/helpers/dispatch_worker.ts"],
        cwd: new URL("../", import.meta.url).pathname,
        env,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();

    const victim = spawn();
    let killed = false;
    fake.onMessage = () => {
      if (!killed && fake.messages.length >= 60) {
        killed = true;
        victim.kill("SIGKILL"); // this message is accepted; its answer never reaches the dispatcher
      }
    };
    const status = await victim.output();
    fake.onMessage = undefined;
    assert.equal(killed, true, "killed while sending");
    assert.equal(status.signal, "SIGKILL");
    const [{ maybe }] = await db.sql`select count(*)::int as maybe from outreach
                                     where status = 'queued' and send_started_at is not null`;
    assert.ok(maybe >= 1, `the kill left maybe-sent rows (${maybe})`);

    await new Promise((r) => setTimeout(r, 2500)); // the dead process's leases run out
    const restart = await spawn().output();
    assert.equal(restart.code, 0, new TextDecoder().decode(restart.stderr).slice(-2000));
    const summary = JSON.parse(new TextDecoder().decode(restart.stdout).trim().split("\n").at(-1)!);
    assert.ok(
      summary.recovered >= 1,
      `maybe-sent rows were found at Mailgun, not resent: ${JSON.stringify(summary)}`,
    );

    const tokens = fake.messages.map((m) => m.fields["v:outreach"]);
    assert.equal(new Set(tokens).size, tokens.length, "no message twice");
    assert.equal(tokens.length, ROWS, "every row reached Mailgun");
    const rows = await db.sql`select outreach_token, status, provider_message_id from outreach`;
    const ids = new Map(fake.messages.map((m) => [m.fields["v:outreach"], m.id]));
    const wrong = rows.filter((r) =>
      r.status !== "sent" || r.provider_message_id !== ids.get(r.outreach_token)
    );
    assert.deepEqual(wrong.length, 0, "every row recorded as sent with Mailgun's id for it");
  } finally {
    await fake.close();
    await db.drop();
  }
});

/**
 * Four dispatcher processes at once over 2,000 due rows and five capped
 * mailboxes (real subprocesses, one shared PostgreSQL, one fake Mailgun in
 * this process): every row is sent at most once, no mailbox goes over its
 * cap, and once capacity is raised every row has been sent exactly once.
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

const ROWS = 2000;
const CAPS = [250, 300, 350, 400, 600]; // 1,900: 100 rows must wait for capacity

function runWorkers(count: number, env: Record<string, string>) {
  return Promise.all(Array.from({ length: count }, async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "tests/helpers/dispatch_worker.ts"],
      cwd: new URL("../", import.meta.url).pathname,
      env: { ...env, NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout).trim();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr).slice(-2000));
    return JSON.parse(stdout.split("\n").at(-1)!);
  }));
}

Deno.test("[e2e] four dispatcher processes - each row sent once, no mailbox over its cap", async () => {
  const db = await useAppDatabase("dispatch_concurrency");
  const fake = startFakeMailgun();
  try {
    const sender = await createSender(db.sql);
    const contacts = await createContacts(db.sql, sender.companyId, ROWS);
    const boxes = await createMailboxes(db.sql, CAPS);
    await queueFirstSteps(db.sql, sender.applicationId, contacts);
    const env = {
      DATABASE_URL: db.url,
      MAILGUN_URL: fake.url,
      MAILGUN_API_KEY: fake.apiKey,
      DISPATCH_OPTIONS: JSON.stringify({ batchSize: 50, concurrency: 8 }),
    };

    const started = performance.now();
    const results = await runWorkers(4, env);
    const seconds = (performance.now() - started) / 1000;
    let sent = results.reduce((n, r) => n + r.sent, 0);
    console.log(
      `4 dispatchers: ${sent} emails in ${seconds.toFixed(2)} s (${(sent / seconds).toFixed(0)} emails/s ` +
        `including process start-up)`,
    );
    assert.ok(results.every((r) => r.sent > 0), `every process sent some: ${JSON.stringify(results)}`);
    // Runs that end together may leave a unit unused: one gives back a unit it reserved after the others
    // stopped for lack of capacity. The next tick (one more run) sends with it; nothing more is needed.
    if (sent < 1900) {
      const [nextTick] = await runWorkers(1, env);
      console.log(`next tick used ${nextTick.sent} unit(s) given back at the end of the first runs`);
      sent += nextTick.sent;
    }
    assert.equal(sent, 1900, "exactly the capacity was used");
    assert.equal(fake.messages.length, 1900);

    const tokens = fake.messages.map((m) => m.fields["v:outreach"]);
    assert.equal(new Set(tokens).size, tokens.length, "no message twice");
    const mailboxes = await db.sql`select id, daily_cap, sent_today from mailboxes order by id`;
    for (const m of mailboxes) {
      assert.equal(m.sent_today, m.daily_cap, `mailbox ${m.id} filled to its cap exactly`);
    }
    const perMailbox = await db.sql`select mailbox_id, count(*)::int as n from outreach where status = 'sent'
                                    group by mailbox_id order by mailbox_id`;
    assert.deepEqual(perMailbox.map((r) => r.n), CAPS, "the rows sent per mailbox match the caps");
    const bySender = new Map<string, number>();
    for (const m of fake.messages) {
      const address = /<([^<>]+)>$/.exec(m.fields.from)?.[1] ?? m.fields.from; // From: "Full Name" <mailbox>
      bySender.set(address, (bySender.get(address) ?? 0) + 1);
    }
    assert.deepEqual(boxes.map((b) => bySender.get(b.email)), CAPS, "Mailgun saw the same split");
    const [{ queued }] = await db.sql`select count(*)::int as queued from outreach
                                      where status = 'queued' and send_started_at is null and lease_until is null`;
    assert.equal(queued, 100, "the rest waits, unclaimed");

    // Capacity for the rest: every row ends sent exactly once.
    await db.sql`update mailboxes set daily_cap = daily_cap + 40`;
    await runWorkers(4, env);
    const all = fake.messages.map((m) => m.fields["v:outreach"]);
    assert.equal(all.length, ROWS);
    assert.equal(new Set(all).size, ROWS, "every row exactly once");
    const [{ notSent }] = await db
      .sql`select count(*)::int as "notSent" from outreach where status <> 'sent'`;
    assert.equal(notSent, 0);
    const [{ over }] = await db.sql`select count(*)::int as over from mailboxes where sent_today > daily_cap`;
    assert.equal(over, 0, "no mailbox over its cap");
  } finally {
    await fake.close();
    await db.drop();
  }
});

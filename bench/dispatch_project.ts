/**
 * The project's dispatcher (jobs/dispatch_outreach.ts) under the benchmark:
 * N due outreach rows to fresh contacts, sent through the Mailgun transport to
 * the loopback fake, with the caps, leases and bookkeeping of a real run. The
 * rows, contacts and mailbox counters are put back afterwards so the bench
 * database stays as generated.
 */
import postgres from "postgres";
import { connect, disconnect } from "@/db/client.ts";
import { loadConfig, resolveSecret, setConfig } from "@/fresh.config.ts";
import { dispatchOutreach } from "@/jobs/dispatch_outreach.ts";
import { createAppContext } from "@/app/context.ts";
import { APP_ENV } from "./app_process.ts";
import type { DispatchOptions } from "./dispatch.ts";
import { type SentMessage, startFakeMailgunProcess } from "./fake_mailgun.ts";

/** Same in-flight count as the baselines. */
export const DISPATCH_CONCURRENCY = 16;

export async function dispatcherRate(
  options: DispatchOptions,
): Promise<{ rate: number; sent: number; duplicates: number; batches: number }> {
  const fake = await startFakeMailgunProcess();
  const sql = postgres(options.url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`create table if not exists bench_mailboxes_snapshot as table mailboxes`);
    await cleanUp(sql);
    // Fresh contacts (nobody opted out or replied) on existing applications; due a minute ago.
    await sql`insert into contacts (company_id, full_name, email, source)
      select 1, 'Dispatch ' || i, 'dispatch' || i || '@c1.bench.example', 'bench-dispatch'
      from generate_series(1, ${options.emails}::int) as i`;
    await sql`insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox, status,
        queued_at, due_at, outreach_token, unsubscribe_token)
      select 1 + (c.n % (select count(*) from applications)::int), c.id, 1, 'Quick question about the role',
        'Hi there,' || chr(10) || 'I spotted the opening and think my background fits.' || chr(10) || 'Thanks',
        '', 'queued', now(), now() - interval '1 minute',
        'bench-dispatch-' || md5(c.id::text), 'bench-unsub-' || md5(c.id::text || 'u')
      from (select id, row_number() over (order by id)::int as n from contacts where source = 'bench-dispatch') c`;
    await sql`analyze outreach`;
    // Room for the whole batch under the caps (the caps are still checked and counted per send).
    await sql`update mailboxes set daily_cap = greatest(daily_cap, 1000000), sent_today = 0 where status = 'active'`;

    const config = setConfig(loadConfig({
      ...APP_ENV,
      DATABASE_URL: options.url,
      PORT: "0",
      MAIL_TRANSPORT: "mailgun",
      MAILGUN_API_KEY: fake.apiKey,
      MAILGUN_URL: fake.url,
    }));
    await resolveSecret(config);
    const pool = await connect(options.url, { max: 10 });
    await pool`select 1`;
    const started = performance.now();
    let sent = 0;
    let batches = 0;
    // One cron tick stops after its runtime budget; a backlog takes several ticks, back to back here.
    for (let tick = 0; tick < 20 && sent < options.emails; tick++) {
      const result = await dispatchOutreach(createAppContext(config, pool), {
        concurrency: DISPATCH_CONCURRENCY,
        maxRuntimeMs: 120_000,
      });
      if (Deno.env.get("BENCH_DEBUG")) console.log(JSON.stringify(result));
      sent += result.sent;
      batches += result.batches;
      if (result.claimed === 0) break;
    }
    const seconds = (performance.now() - started) / 1000;
    await disconnect();
    const messages: SentMessage[] = await fake.messages();
    const tokens = new Set(messages.map((m) => m.outreach));
    const duplicates = messages.length - tokens.size;
    if (messages.length !== sent) {
      throw new Error(`the dispatcher counted ${sent} sent, the fake received ${messages.length}`);
    }
    return { rate: sent / seconds, sent, duplicates, batches };
  } finally {
    await disconnect().catch(() => {});
    await cleanUp(sql).catch(() => {});
    await sql.end();
    await fake.close();
  }
}

/** Removes the benchmark's rows and puts the mailbox counters back as generated. */
async function cleanUp(sql: postgres.Sql) {
  await sql`delete from outreach where outreach_token like 'bench-dispatch-%'`;
  await sql`delete from contacts where source = 'bench-dispatch'`;
  await sql`update mailboxes m set sent_today = s.sent_today, daily_cap = s.daily_cap, last_sent_at = null,
              consecutive_failures = 0, status = s.status, health_score = s.health_score
            from bench_mailboxes_snapshot s where s.id = m.id`;
}

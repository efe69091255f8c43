/**
 * Bounce rate of the dispatch run, with and without address verification.
 *
 * Fixture contacts: 92% deliverable, 8% marked undeliverable by the fixture in
 * five ways (2% a mailbox that does not exist at a real domain, 2% a domain
 * without MX or A, 2% a domain that does not exist, 1% a disposable domain,
 * 1% broken syntax). The loopback fake Mailgun accepts every message and
 * bounces those the fixture marks, as Mailgun does. DNS comes from a local
 * authoritative server (fixture zones); the SMTP probe, when on, asks a local
 * SMTP server that knows the real mailboxes. Three runs over the same contacts:
 * - no verification: every contact is queued;
 * - verification as shipped (DNS and lists, probe off): `invalid` is not queued,
 *   `risky` is (as if the user confirmed);
 * - verification with the probe on.
 */
import postgres from "postgres";
import { connect, disconnect } from "@/db/client.ts";
import { loadConfig, resolveSecret, setConfig } from "@/fresh.config.ts";
import { dispatchOutreach } from "@/jobs/dispatch_outreach.ts";
import { createAppContext } from "@/app/context.ts";
import { createResolver } from "@/services/deliverability/dns.ts";
import { verifyAddress } from "@/services/deliverability/verify_address.ts";
import { APP_ENV } from "./app_process.ts";
import { startFakeMailgun } from "./fake_mailgun.ts";
import type { Measurement } from "./report.ts";
import { startFakeDns } from "@/tests/helpers/dns_server.ts";
import { startProbeSmtp } from "@/tests/helpers/probe_smtp_server.ts";

export interface BounceOptions {
  url: string;
  contacts: number;
  log: (line: string) => void;
}

/** The fixture: each address, and whether it is undeliverable (the fake bounces it). */
export function bounceFixture(n: number): { email: string; invalid: boolean }[] {
  const out = [];
  for (let i = 1; i <= n; i++) {
    const k = i % 100;
    const email = k < 2
      ? `gone.person${i}@c1.bench.example` // mailbox missing: only a probe can tell
      : k < 4
      ? `someone${i}@nomx.bench.example` // the domain takes no mail
      : k < 6
      ? `someone${i}@gone${i}.bench.invalid` // the domain does not exist
      : k < 7
      ? `someone${i}@mailinator.com` // disposable
      : k < 8
      ? `some..one${i}@c1.bench.example` // syntax
      : `person${i}@c${1 + (i % 50)}.bench.example`;
    out.push({ email, invalid: k < 8 });
  }
  return out;
}

const recipient = (to: string) => (/<([^>]+)>/.exec(to)?.[1] ?? to).toLowerCase();

export async function benchBounce(options: BounceOptions): Promise<Measurement[]> {
  const fixture = bounceFixture(options.contacts);
  const invalid = new Set(fixture.filter((f) => f.invalid).map((f) => f.email.toLowerCase()));
  const valid = fixture.filter((f) => !f.invalid).map((f) => f.email);
  // every *.bench.example name is a mail domain with MX on 127.0.0.1, except nomx; .invalid does not exist
  const dns = await startFakeDns({ "nomx.bench.example": { TXT: ["v=spf1 -all"] } }, { world: true });
  const smtp = await startProbeSmtp(valid);
  const fake = startFakeMailgun({ bounce: (to) => invalid.has(recipient(to)) });
  const sql = postgres(options.url, { max: 1, onnotice: () => {} });
  const results: { name: string; queued: number; sent: number; bounced: number }[] = [];
  try {
    await sql.unsafe(`create table if not exists bench_mailboxes_snapshot as table mailboxes`);
    // the users' plan counters as they are now: each run starts from them (plan limits, migration 0065)
    await sql.unsafe(`create temp table bounce_usage as table usage_daily`);
    await sql.unsafe(
      `create temp table bounce_credits as select id, credits_remaining, subscription_tier from users`,
    );
    // plan limits are not what this measures: the senders get the plan without limits for the run
    await sql`update users set subscription_tier = 'enterprise' where id in (select user_id from applications)`;
    await cleanUp(sql);
    const config = setConfig(loadConfig({
      ...APP_ENV,
      DATABASE_URL: options.url,
      PORT: "0",
      MAIL_TRANSPORT: "mailgun",
      MAILGUN_API_KEY: fake.apiKey,
      MAILGUN_URL: fake.url,
      ROLEFERRY_DNS: dns.address,
    }));
    await resolveSecret(config);
    const pool = await connect(options.url, { max: 10 });
    await pool`select 1`;
    // one resolver (and cache) per run, as one app process would have
    const verified = (probe?: { port: number; timeoutMs: number }) => {
      const resolver = createResolver({ nameServer: dns.address });
      return async (e: string) => (await verifyAddress(e, { resolver, probe })).result !== "invalid";
    };
    const runs: [string, ((email: string) => Promise<boolean>) | null][] = [
      ["no verification", null],
      ["verification (DNS and lists, probe off)", verified()],
      ["verification with the SMTP probe", verified({ port: smtp.port, timeoutMs: 2000 })],
    ];
    for (const [name, keep] of runs) {
      // 32 checks at a time (an SMTP server answers its greeting after a 100 ms early-talker pause)
      const kept: string[] = [];
      for (let i = 0; i < fixture.length; i += 32) {
        const chunk = fixture.slice(i, i + 32);
        const keepIt = await Promise.all(chunk.map((f) => keep ? keep(f.email) : true));
        chunk.forEach((f, j) => keepIt[j] && kept.push(f.email));
      }
      fake.messages.length = 0;
      await queue(sql, kept);
      let sent = 0;
      for (let tick = 0; tick < 20; tick++) {
        const r = await dispatchOutreach(createAppContext(config, pool), {
          concurrency: 16,
          maxRuntimeMs: 120_000,
        });
        sent += r.sent;
        if (r.claimed === 0) break;
      }
      const bounced = fake.messages.filter((m) => m.bounced).length;
      results.push({ name, queued: kept.length, sent, bounced });
      options.log(`dispatch bounce: ${name}: ${kept.length} queued, ${sent} sent, ${bounced} bounced`);
      await cleanUp(sql);
    }
  } finally {
    await disconnect().catch(() => {});
    await cleanUp(sql).catch(() => {});
    await restorePlans(sql).catch(() => {});
    await sql.end();
    await fake.close();
    await smtp.close();
    await dns.close();
  }
  const rate = (r: { sent: number; bounced: number }) => (r.sent ? (100 * r.bounced) / r.sent : null);
  const base = results[0];
  return results.map((r) => ({
    section: "dispatch",
    name: `bounce rate, ${r.name} (${options.contacts} fixture contacts, 8% undeliverable)`,
    value: rate(r),
    unit: "% of sent",
    ...(r === base ? {} : { baseline: { name: "no verification", value: rate(base) } }),
    note: `${r.queued} queued, ${r.sent} sent, ${r.bounced} bounced by the fake Mailgun`,
  }));
}

/** Queues step 1 for each address as a fresh contact, due a minute ago, with room under the caps. */
async function queue(sql: postgres.Sql, emails: string[]) {
  await sql`insert into contacts (company_id, full_name, email, source)
    select 1, 'Bounce ' || n, e, 'bench-bounce' from unnest(${emails}::text[]) with ordinality as t(e, n)`;
  await sql`insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox, status,
      queued_at, due_at, outreach_token, unsubscribe_token)
    select 1 + (c.n % (select count(*) from applications)::int), c.id, 1, 'Quick question about the role',
      'Hi there,' || chr(10) || 'I think my background fits.' || chr(10) || 'Thanks', '', 'queued', now(),
      now() - interval '1 minute', 'bench-bounce-' || md5(c.id::text), 'bench-bounce-u-' || md5(c.id::text)
    from (select id, row_number() over (order by id)::int as n from contacts where source = 'bench-bounce') c`;
  await sql`update mailboxes set daily_cap = greatest(daily_cap, 1000000), sent_today = 0 where status = 'active'`;
}

async function cleanUp(sql: postgres.Sql) {
  await sql`delete from send_charges c using outreach o
            where o.id = c.outreach_id and o.queued_at = c.queued_at and o.outreach_token like 'bench-bounce-%'`;
  await sql`delete from outreach where outreach_token like 'bench-bounce-%'`;
  await sql`delete from contacts where source = 'bench-bounce'`;
  await sql`update mailboxes m set sent_today = s.sent_today, daily_cap = s.daily_cap, last_sent_at = null,
              consecutive_failures = 0, status = s.status, health_score = s.health_score
            from bench_mailboxes_snapshot s where s.id = m.id`;
  await sql`delete from usage_daily`;
  await sql`insert into usage_daily select * from bounce_usage`;
  await sql`update users u set credits_remaining = c.credits_remaining from bounce_credits c
            where c.id = u.id and u.credits_remaining is distinct from c.credits_remaining`;
}

/** Gives the users their plans back. */
async function restorePlans(sql: postgres.Sql) {
  await sql`update users u set subscription_tier = c.subscription_tier from bounce_credits c
            where c.id = u.id and u.subscription_tier is distinct from c.subscription_tier`;
}

/**
 * Rows the outreach tests start from, written directly as the owner (the
 * sender, a company with contacts, mailboxes, queued outreach), so dispatcher
 * and webhook tests do not depend on the HTTP layer.
 */
import type { Sql } from "@/db/client.ts";
import { loadConfig, setConfig } from "@/fresh.config.ts";
import { mailgunTransport } from "@/services/mail/mailgun.ts";
import type { Transport } from "@/core/mail/types.ts";
import { randomToken } from "@/core/crypto.ts";
import { encryptSecret } from "@/core/secrets.ts";

export const FIXTURE_SECRET = "test-secret-test-secret-test-secret-0123456789";

/**
 * Configures this test process for the Mailgun transport pointed at a fake Mailgun, and answers a transport
 * for the dispatcher that gives up after 2 s.
 */
export function configureFakeMailgun(fake: { apiKey: string; url: string }): Transport {
  setConfig(loadConfig({
    ROLEFERRY_ENV: "test",
    ROLEFERRY_SECRET: FIXTURE_SECRET,
    MAIL_TRANSPORT: "mailgun",
    MAILGUN_API_KEY: fake.apiKey,
    MAILGUN_URL: fake.url,
    APP_BASE_URL: "http://app.example",
  }));
  return mailgunTransport({ apiKey: fake.apiKey, url: fake.url, timeoutMs: 2_000 });
}

export interface Sender {
  userId: number;
  companyId: number;
  jobId: number;
  applicationId: number;
}

let counter = 0;

/** A user with a resume metric, a company, a job and an application to it. */
export async function createSender(sql: Sql, options: { timezone?: string } = {}): Promise<Sender> {
  const n = ++counter;
  const tag = crypto.randomUUID().slice(0, 8);
  const [row] = await sql<Sender[]>`
    with u as (
      insert into users (email, full_name, timezone, email_verified, subscription_tier)
      values (${`sender${n}.${tag}@example.test`}, 'Sam Sender', ${
    options.timezone ?? "UTC"
  }, true, 'enterprise')
      returning id
    ), r as (
      insert into resumes (user_id, key_metrics) select id, '["cut p99 latency by 40%"]'::jsonb from u
    ), c as (
      insert into companies (name, domain) values (${`Acme ${n}`}, ${`acme${n}-${tag}.example`}) returning id
    ), j as (
      insert into jobs (source, title, company_id) select 'test', 'Staff Engineer', id from c returning id
    ), a as (
      insert into applications (user_id, job_id, status) select u.id, j.id, 'applied' from u, j returning id
    )
    select u.id as "userId", c.id as "companyId", j.id as "jobId", a.id as "applicationId" from u, c, j, a`;
  return row;
}

/** `count` contacts at the company: Contact 1 <contact1.xxx@...>, ... */
export async function createContacts(sql: Sql, companyId: number, count: number): Promise<number[]> {
  const tag = crypto.randomUUID().slice(0, 8);
  const rows = await sql<{ id: number }[]>`
    insert into contacts (company_id, first_name, last_name, full_name, email, source, verification_result,
                          verification_reason, verification_checked_at, verification_expires_at, verification_email)
    select ${companyId}::int, 'Contact', i::text, 'Contact ' || i, e.email, 'test',
           -- verified addresses (issue 18): enrollment needs no DNS for them
           'valid', 'ok', now(), now() + interval '90 days', e.email
    from generate_series(1, ${count}::int) as i,
      lateral (select 'contact' || i || '.' || ${tag} || '@people.example' as email) e
    returning id`;
  return rows.map((r) => r.id);
}

/** Mailboxes with the given caps (active unless said), on domain `mb.example`. */
export async function createMailboxes(
  sql: Sql,
  caps: number[],
  options: { status?: string; warmupStart?: Date; domain?: string } = {},
): Promise<{ id: number; email: string; daily_cap: number }[]> {
  const encrypted = await encryptSecret("smtp-password", FIXTURE_SECRET);
  const tag = crypto.randomUUID().slice(0, 8);
  const out = [];
  for (const [i, cap] of caps.entries()) {
    const [row] = await sql<{ id: number; email: string; daily_cap: number }[]>`
      insert into mailboxes (domain, email, status, warmup_enabled, warmup_start_date, daily_cap, smtp_host,
                             smtp_username, smtp_password_encrypted)
      values (${options.domain ?? "mb.example"}, ${`sender${i + 1}.${tag}@mb.example`}, ${
      options.status ?? "active"
    },
              true, ${options.warmupStart ?? null}, ${cap}, 'smtp.mb.example', 'sender', ${encrypted})
      returning id, email, daily_cap`;
    out.push(row);
  }
  return out;
}

/** Queues step 1 for each contact, due now, with fresh tokens. Answers the outreach ids. */
export async function queueFirstSteps(
  sql: Sql,
  applicationId: number,
  contactIds: number[],
): Promise<number[]> {
  const rows = contactIds.map((id) => ({
    contact_id: id,
    outreach_token: randomToken(16),
    unsubscribe_token: randomToken(24),
  }));
  const inserted = await sql<{ id: number }[]>`
    insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox, status, due_at,
                          outreach_token, unsubscribe_token)
    select ${applicationId}::int, r.contact_id, 1, 'Hello', 'Hi there', '', 'queued', now() - interval '1 second',
           r.outreach_token, r.unsubscribe_token
    from jsonb_to_recordset(${
    sql.json(rows)
  }::jsonb) as r(contact_id int, outreach_token varchar, unsubscribe_token varchar)
    returning id`;
  return inserted.map((r) => r.id);
}

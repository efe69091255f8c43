/**
 * The seed's CHECK constraints (data-architecture.md §1.2) reject what they should, under the seed's names:
 * the names PostgreSQL generates for unnamed column checks (`<table>_<column>_check`, or `<table>_check` when
 * the expression names two columns) and the seed's explicit ones (`chk_salary_range`). Each case also shows
 * the boundary value passing, so a check that rejected everything would fail here too.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";

const db = await useAppDatabase("schema_checks");
const sql = db.sql;

/** Runs `statement` in a transaction that is always rolled back, so the fixtures stay untouched. */
async function attempt(statement: string, params: unknown[] = []): Promise<unknown> {
  let outcome: unknown;
  await sql.begin(async (tx) => {
    try {
      await tx.unsafe(statement, params as never[]);
      outcome = "ok";
    } catch (error) {
      outcome = error;
    }
    throw new Rollback();
  }).catch((error) => {
    if (!(error instanceof Rollback)) throw error;
  });
  return outcome;
}
class Rollback extends Error {}

async function assertRejected(constraint: string, statement: string, params: unknown[] = []) {
  const outcome = await attempt(statement, params);
  assert.ok(
    outcome instanceof Error,
    `expected ${constraint} to reject: ${statement} ${JSON.stringify(params)}`,
  );
  const error = outcome as Error & { code?: string; constraint_name?: string };
  assert.equal(error.code, "23514", `${statement}: ${error.message}`); // check_violation
  assert.equal(error.constraint_name, constraint, error.message);
}

async function assertAccepted(statement: string, params: unknown[] = []) {
  const outcome = await attempt(statement, params);
  assert.equal(outcome, "ok", `expected acceptance: ${statement} ${JSON.stringify(params)}: ${outcome}`);
}

// Fixtures, as the owner.
const [user] = await sql`insert into users (email) values ('checks@example.test') returning id`;
const [company] = await sql`insert into companies (name) values ('Checks Inc') returning id`;
const [job] = await sql`
  insert into jobs (source, title, company_id) values ('test', 'Engineer', ${company.id}) returning id`;
const [application] = await sql`
  insert into applications (user_id, job_id) values (${user.id}, ${job.id}) returning id`;
const [contact] = await sql`
  insert into contacts (company_id, full_name, email, source)
  values (${company.id}, 'Cora Contact', 'cora@checks.test', 'test') returning id`;
await sql`insert into job_preferences (user_id) values (${user.id})`;
const [mailbox] = await sql`
  insert into mailboxes (domain, email, smtp_host, smtp_username, smtp_password_encrypted)
  values ('checks.test', 'out@checks.test', 'smtp.checks.test', 'out', 'x') returning id`;

const U = "update users set %s where id = " + user.id;
const set = (template: string, assignment: string) => template.replace("%s", assignment);

Deno.test("users CHECKs - mode, subscription_tier and credits_remaining reject bad values", async () => {
  await assertRejected("users_mode_check", set(U, "mode = 'admin'"));
  await assertRejected("users_subscription_tier_check", set(U, "subscription_tier = 'gold'"));
  await assertRejected("users_credits_remaining_check", set(U, "credits_remaining = -1"));
  await assertRejected(
    "users_mode_check",
    "insert into users (email, mode) values ('m@example.test', 'Job_Seeker')", // case matters
  );
  for (const mode of ["job_seeker", "recruiter"]) await assertAccepted(set(U, `mode = '${mode}'`));
  for (const tier of ["free", "pro", "teams", "enterprise"]) {
    await assertAccepted(set(U, `subscription_tier = '${tier}'`));
  }
  await assertAccepted(set(U, "credits_remaining = 0"));
  await assertAccepted(set(U, "credits_remaining = null")); // nullable in the seed
});

Deno.test("applications CHECKs - status, match_score (0..100) and reply_status reject bad values", async () => {
  const A = `update applications set %s where id = ${application.id}`;
  await assertRejected("applications_status_check", set(A, "status = 'ghosted'"));
  await assertRejected("applications_match_score_check", set(A, "match_score = -1"));
  await assertRejected("applications_match_score_check", set(A, "match_score = 101"));
  await assertRejected("applications_reply_status_check", set(A, "reply_status = 'maybe'"));
  for (const status of ["saved", "applied", "interviewing", "offer", "rejected"]) {
    await assertAccepted(set(A, `status = '${status}'`));
  }
  for (const score of [0, 100, null]) await assertAccepted(set(A, `match_score = ${score}`));
});

Deno.test("jobs CHECKs - chk_salary_range, comp_min and comp_max reject bad values", async () => {
  const J = `update jobs set %s where id = ${job.id}`;
  await assertRejected("chk_salary_range", set(J, "comp_min = 200000, comp_max = 100000"));
  await assertRejected(
    "chk_salary_range",
    "insert into jobs (source, title, company_id, comp_min, comp_max) values ('t', 'x', $1, 2, 1)",
    [company.id],
  );
  await assertRejected("jobs_comp_min_check", set(J, "comp_min = -1"));
  await assertRejected("jobs_comp_max_check", set(J, "comp_max = -1"));
  await assertAccepted(set(J, "comp_min = 100000, comp_max = 100000"));
  await assertAccepted(set(J, "comp_min = 100000, comp_max = null"));
  await assertAccepted(set(J, "comp_min = null, comp_max = 5"));
});

Deno.test("mailboxes CHECKs - health_score, daily_cap, sent_today and status reject bad values", async () => {
  const M = `update mailboxes set %s where id = ${mailbox.id}`;
  await assertRejected("mailboxes_health_score_check", set(M, "health_score = -1"));
  await assertRejected("mailboxes_health_score_check", set(M, "health_score = 101"));
  await assertRejected("mailboxes_daily_cap_check", set(M, "daily_cap = 0"));
  await assertRejected("mailboxes_sent_today_check", set(M, "sent_today = -1"));
  await assertRejected("mailboxes_status_check", set(M, "status = 'disabled'"));
  await assertAccepted(set(M, "health_score = 0, daily_cap = 1, sent_today = 0"));
  await assertAccepted(set(M, "health_score = 100"));
  for (const status of ["warmup", "active", "paused"]) await assertAccepted(set(M, `status = '${status}'`));
});

Deno.test("outreach CHECKs - step_no >= 1, status values and link_clicks reject bad values", async () => {
  const insert = (step: number, status: string | null, clicks = 0): [string, unknown[]] => [
    `insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox, status, link_clicks)
     values ($1, $2, $3, 's', 'b', 'out@checks.test', $4, $5)`,
    [application.id, contact.id, step, status, clicks],
  ];
  await assertRejected("outreach_step_no_check", ...insert(0, "queued"));
  // 'spam' is what the seed's reset function counted; its own CHECK forbids it (db/README.md).
  await assertRejected("outreach_status_check", ...insert(1, "spam"));
  await assertRejected("outreach_link_clicks_check", ...insert(1, "queued", -1));
  for (const status of ["queued", "sent", "delivered", "bounced", "replied", "failed", "canceled", null]) {
    await assertAccepted(...insert(1, status));
  }
});

Deno.test("contacts CHECKs - email_confidence (0..1), bounce_count and spam_reports reject bad values", async () => {
  const C = `update contacts set %s where id = ${contact.id}`;
  await assertRejected("contacts_email_confidence_check", set(C, "email_confidence = 1.01"));
  await assertRejected("contacts_email_confidence_check", set(C, "email_confidence = -0.01"));
  await assertRejected("contacts_bounce_count_check", set(C, "bounce_count = -1"));
  await assertRejected("contacts_spam_reports_check", set(C, "spam_reports = -1"));
  for (const value of ["0", "1", "0.55", "null"]) await assertAccepted(set(C, `email_confidence = ${value}`));
});

Deno.test("job_preferences CHECKs - max_salary >= min_salary, min_salary >= 0", async () => {
  const P = `update job_preferences set %s where user_id = ${user.id}`;
  // The seed writes this as a column check, but it names two columns, so PostgreSQL calls it <table>_check.
  await assertRejected("job_preferences_check", set(P, "min_salary = 100000, max_salary = 99999"));
  await assertRejected("job_preferences_min_salary_check", set(P, "min_salary = -1"));
  await assertAccepted(set(P, "min_salary = 100000, max_salary = 100000"));
  await assertAccepted(set(P, "min_salary = null, max_salary = 5"));
  await assertAccepted(set(P, "min_salary = 5, max_salary = null"));
});

Deno.test("companies CHECKs - glassdoor_rating (0..5) and founded_year reject bad values", async () => {
  const C = `update companies set %s where id = ${company.id}`;
  await assertRejected("companies_glassdoor_rating_check", set(C, "glassdoor_rating = 5.1"));
  await assertRejected("companies_glassdoor_rating_check", set(C, "glassdoor_rating = -0.1"));
  await assertRejected("companies_founded_year_check", set(C, "founded_year = 1799"));
  await assertRejected(
    "companies_founded_year_check",
    set(C, "founded_year = extract(year from now())::int + 1"),
  );
  for (const value of ["0", "5", "4.5", "null"]) await assertAccepted(set(C, `glassdoor_rating = ${value}`));
  await assertAccepted(set(C, "founded_year = 1800"));
});

Deno.test("schema CHECKs - the fixtures were left untouched by the rolled-back attempts", async () => {
  const [row] = await sql`
    select u.mode, u.subscription_tier, u.credits_remaining, a.status, a.match_score,
           (select count(*)::int from outreach) as outreach_rows
    from users u join applications a on a.user_id = u.id where u.id = ${user.id}`;
  assert.deepEqual({ ...row }, {
    mode: "job_seeker",
    subscription_tier: "free",
    credits_remaining: 0,
    status: "applied",
    match_score: null,
    outreach_rows: 0,
  });
  await db.drop();
});

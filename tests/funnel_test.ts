/**
 * Funnels against a hand-built fixture: rows are written and moved through their stages with plain SQL (as
 * the dispatcher and the webhooks would), and the rollup kept by migration 0080's triggers must give the
 * numbers counted by hand, under RLS, per window, and equal to a full recount.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { createContacts, createSender } from "@/tests/helpers/outreach_fixtures.ts";
import { checkFunnelDrift, getDailyReplies, getSequenceFunnel, getTemplateFunnel } from "@/db/funnels.ts";

const db = await useAppDatabase("funnel");
const sql = db.sql;

const sender = await createSender(sql);
const [sequence] = await sql<{ id: number }[]>`
  insert into sequence_templates (user_id, name, steps)
  values (${sender.userId}, 'Two subjects', '[{"step_no":1,"delay_hours":0,"subject":"a","body":"b"}]'::jsonb)
  returning id`;
const contacts = await createContacts(sql, sender.companyId, 12);

/** Queues step `step` for the contacts with the variant, `daysAgo` days ago. Answers the outreach ids. */
async function queue(contactIds: number[], step: number, variant: string | null, daysAgo = 0) {
  const rows = await sql<{ id: number }[]>`
    insert into outreach (application_id, contact_id, sequence_template_id, step_no, variant, subject, body,
                          from_mailbox, status, queued_at, due_at)
    select ${sender.applicationId}::int, c, ${sequence.id}::int, ${step}::int, ${variant}, 's', 'b', '', 'queued',
           now() - make_interval(days => ${daysAgo}::int), now()
    from unnest(${contactIds}::int[]) as c
    returning id`;
  return rows.map((r) => r.id);
}

// Step 1, variant A: 4 queued, 3 sent, 3 delivered, 2 opened, 1 clicked, 1 replied, 1 unsubscribed.
const a = await queue(contacts.slice(0, 4), 1, "A");
await sql`update outreach set status = 'sent', sent_at = now() where id = any(${a.slice(0, 3)}::int[])`;
await sql`update outreach set status = 'delivered', delivered_at = now() where id = any(${
  a.slice(0, 3)
}::int[])`;
await sql`update outreach set opened_at = now() where id = any(${a.slice(0, 2)}::int[])`;
await sql`update outreach set clicked_at = now() where id = ${a[0]}::int`;
await sql`update outreach set status = 'replied', replied_at = now() where id = ${a[0]}::int`;
await sql`insert into outreach_events (outreach_id, event) values (${a[1]}::int, 'unsubscribed')`;
// A second unsubscribe event of the same row (Mailgun's webhook after the one-click) is not a second person.
await sql`insert into outreach_events (outreach_id, event) values (${a[1]}::int, 'unsubscribed')`;

// Step 1, variant B: 4 queued, 4 sent (in one statement), 1 bounced, 2 replied.
const b = await queue(contacts.slice(4, 8), 1, "B");
await sql`update outreach set status = 'sent', sent_at = now() where id = any(${b}::int[])`;
await sql`update outreach set status = 'bounced' where id = ${b[0]}::int`;
await sql`update outreach set status = 'replied', replied_at = now() where id = any(${b.slice(1, 3)}::int[])`;

// Step 2 without variants: 2 queued, nothing sent.
await queue(contacts.slice(0, 2), 2, null);

// 40 days ago, variant A: 4 queued and sent, outside the 7- and 30-day windows.
const old = await queue(contacts.slice(8, 12), 1, "A", 40);
await sql`update outreach set status = 'sent', sent_at = now() where id = any(${old}::int[])`;

Deno.test("Funnel - per step and variant, the hand-counted numbers over all time", async () => {
  const funnel = await getSequenceFunnel(sql, sender.userId, sequence.id, "all");
  assert.deepEqual(funnel.steps.map((s) => s.step_no), [1, 2]);
  const [stepA, stepB] = funnel.steps[0].variants;
  const { reply_rate: rateA, ...countsA } = stepA;
  assert.deepEqual(countsA, {
    variant: "A",
    queued: 8,
    sent: 7,
    delivered: 3,
    opened: 2,
    clicked: 1,
    replied: 1,
    bounced: 0,
    unsubscribed: 1,
  });
  assert.equal(rateA.value, 1 / 7);
  const { reply_rate: rateB, ...countsB } = stepB;
  assert.deepEqual(countsB, {
    variant: "B",
    queued: 4,
    sent: 4,
    delivered: 0,
    opened: 0,
    clicked: 0,
    replied: 2,
    bounced: 1,
    unsubscribed: 0,
  });
  assert.equal(rateB.value, 0.5);
  assert.equal(funnel.steps[0].winner, null);
  assert.equal(funnel.steps[0].verdict, "not_enough_data");
  const step2 = funnel.steps[1];
  assert.equal(step2.variants.length, 1);
  assert.equal(step2.variants[0].variant, null);
  assert.equal(step2.variants[0].queued, 2);
  assert.equal(step2.variants[0].sent, 0);
  assert.deepEqual(step2.variants[0].reply_rate, { value: 0, low: 0, high: 1 });
});

Deno.test("Funnel - the 7-day window leaves out the cohort queued 40 days ago", async () => {
  const funnel = await getSequenceFunnel(sql, sender.userId, sequence.id, "7d");
  const stepA = funnel.steps[0].variants[0];
  assert.equal(stepA.queued, 4);
  assert.equal(stepA.sent, 3);
  const ninety = await getSequenceFunnel(sql, sender.userId, sequence.id, "90d");
  assert.equal(ninety.steps[0].variants[0].queued, 8);
});

Deno.test("Funnel - another user sees nothing of it; the admin aggregate sees it all", async () => {
  const other = await createSender(sql);
  const funnel = await getSequenceFunnel(sql, other.userId, sequence.id, "all");
  assert.deepEqual(funnel.steps, []);
  const admin = await getTemplateFunnel(sql, sequence.id, "all");
  assert.equal(admin.steps[0].variants[0].queued, 8);
});

Deno.test("Funnel - replies over time by cohort day", async () => {
  const days = await getDailyReplies(sql, sender.userId, sequence.id, "all");
  assert.equal(days.length, 2);
  assert.deepEqual(days.map((d) => [d.sent, d.replied]), [[4, 0], [7, 3]]);
});

Deno.test("Funnel - the rollup equals a full recount, also after a deletion", async () => {
  assert.deepEqual(await checkFunnelDrift(sql), { cells: 0 });
  await sql`delete from outreach where id = ${b[3]}::int`;
  assert.deepEqual(await checkFunnelDrift(sql), { cells: 0 });
  const funnel = await getSequenceFunnel(sql, sender.userId, sequence.id, "all");
  assert.equal(funnel.steps[0].variants[1].queued, 3);
});

Deno.test("Funnel - a write around the triggers shows as drift", async () => {
  await sql`update outreach_funnel_daily set queued = queued + 1
    where user_id = ${sender.userId}::int and variant = 'B'`;
  assert.deepEqual(await checkFunnelDrift(sql), { cells: 1 });
  await sql`update outreach_funnel_daily set queued = queued - 1
    where user_id = ${sender.userId}::int and variant = 'B'`;
});

Deno.test("Funnel - teardown", async () => {
  await db.drop();
});

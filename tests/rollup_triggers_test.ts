/**
 * The outreach UPDATE triggers of the funnel (0080) and the mailbox counters (0085), counted in SQL since 0102:
 * statements that change many rows in different ways at once (sent, bounced, un-sent, moved to another
 * variant, step, template, mailbox or day, two rows swapping cells) and the dispatcher's claim and attempt
 * updates (which change nothing counted) must leave both rollups equal to a full recount, cell by cell. And
 * the application's last_action_at, moved once per statement since 0103: by a status change, by no other.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { createContacts, createSender } from "@/tests/helpers/outreach_fixtures.ts";
import { withUser } from "@/db/client.ts";

const db = await useAppDatabase("rollups");
const sql = db.sql;

const sender = await createSender(sql);
const templates = await sql<{ id: number }[]>`
  insert into sequence_templates (user_id, name, steps)
  select ${sender.userId}, 'T' || n, '[{"step_no":1,"delay_hours":0,"subject":"a","body":"b"}]'::jsonb
  from generate_series(1, 2) n
  returning id`;
const contacts = await createContacts(sql, sender.companyId, 12);

const rows = await sql<{ id: number }[]>`
  insert into outreach (application_id, contact_id, sequence_template_id, step_no, variant, subject, body,
                        from_mailbox, status, queued_at, due_at)
  select ${sender.applicationId}::int, c, ${templates[0].id}::int, 1 + (i % 2)::int,
         case when i % 3 = 0 then null else chr(65 + (i % 2)::int) end, 's', 'b', '', 'queued', now() - make_interval(days => (i % 2)::int), now()
  from unnest(${contacts}::int[]) with ordinality as u(c, i)
  returning id`;
const ids = rows.map((r) => r.id);

/** Cells where a rollup and a full recount disagree (funnel per user, per template, mailbox counters). */
async function drift() {
  const [f] = await sql`select count(*)::int as n from check_outreach_funnel()`;
  const [m] = await sql`select count(*)::int as n from check_mailbox_daily_stats()`;
  return { funnel: f.n, mailboxes: m.n };
}

Deno.test("Outreach rollups - the dispatcher's claim and attempt change no counter", async () => {
  const before = await sql`select * from outreach_funnel_daily order by 1, 2, 3, 4, 5`;
  await sql`update outreach set claim_id = gen_random_uuid(), claimed_at = now(),
    lease_until = now() + interval '1 minute' where id = any(${ids}::int[])`;
  await sql`update outreach set send_attempt_id = gen_random_uuid(), send_started_at = now(),
    send_attempts = send_attempts + 1, from_mailbox = 'a@rollups.test', message_id = '<' || id || '@x>'
    where id = any(${ids}::int[])`;
  assert.deepEqual(await sql`select * from outreach_funnel_daily order by 1, 2, 3, 4, 5`, before);
  assert.deepEqual(await drift(), { funnel: 0, mailboxes: 0 });
});

Deno.test("Outreach rollups - one statement of mixed changes keeps both rollups equal to a recount", async () => {
  // the outcome: every row sent (two mailboxes), then a mix
  await sql`update outreach set status = 'sent', sent_at = now(),
    from_mailbox = case when id % 2 = 0 then 'a@rollups.test' else 'b@rollups.test' end
    where id = any(${ids}::int[])`;
  assert.deepEqual(await drift(), { funnel: 0, mailboxes: 0 });
  await sql`
    update outreach set
      status = case when id = ${ids[0]}::int then 'bounced' when id = ${
    ids[1]
  }::int then 'queued' else status end,
      sent_at = case when id = ${ids[1]}::int then null when id = ${
    ids[2]
  }::int then sent_at - interval '2 days'
                else sent_at end,
      delivered_at = case when id in (${ids[3]}::int, ${ids[4]}::int) then now() else delivered_at end,
      opened_at = case when id = ${ids[4]}::int then now() else opened_at end,
      clicked_at = case when id = ${ids[4]}::int then now() else clicked_at end,
      replied_at = case when id = ${ids[5]}::int then now() else replied_at end,
      variant = case when id = ${ids[6]}::int then 'C' when id = ${ids[7]}::int then null else variant end,
      step_no = case when id = ${ids[8]}::int then 3 else step_no end,
      sequence_template_id = case when id = ${ids[9]}::int then ${templates[1].id}::int
                                  when id = ${ids[10]}::int then null else sequence_template_id end,
      from_mailbox = case when id = ${ids[11]}::int then 'c@rollups.test' else from_mailbox end
    where id = any(${ids}::int[])`;
  assert.deepEqual(await drift(), { funnel: 0, mailboxes: 0 });
  // two rows swapping their cells in one statement; a row given its template back
  await sql`
    update outreach set variant = case when id = ${ids[6]}::int then 'A' else 'C' end,
      sequence_template_id = coalesce(sequence_template_id, ${templates[0].id}::int)
    where id in (${ids[6]}::int, ${ids[3]}::int, ${ids[10]}::int)`;
  assert.deepEqual(await drift(), { funnel: 0, mailboxes: 0 });
  const [cells] =
    await sql`select count(*)::int as n from outreach_funnel_daily where sent < 0 or queued < 0`;
  assert.equal(cells.n, 0);
  const [mailboxes] = await sql`select sum(sent)::int as sent, sum(bounced)::int as bounced
    from mailbox_daily_stats where mailbox_email like '%@rollups.test'`;
  assert.deepEqual(mailboxes, { sent: 11, bounced: 1 });
});

Deno.test("Outreach status - a statement changing rows' status moves their application's last_action_at, as app_user too", async () => {
  const longAgo = new Date("2020-01-01T00:00:00Z");
  const lastAction = async () =>
    (await sql`select last_action_at from applications where id = ${sender.applicationId}`)[0].last_action_at;
  await sql`update applications set last_action_at = ${longAgo} where id = ${sender.applicationId}`;
  await sql`update outreach set lease_until = now(), status = status, subject = 'x' where id = any(${ids}::int[])`;
  assert.equal((await lastAction()).getTime(), longAgo.getTime(), "status unchanged: no action");
  // under row-level security, as a request would: the statement trigger runs as the owner
  const now = await withUser(sql, sender.userId, async (tx) => {
    await tx`update outreach set status = 'failed' where id = any(${ids.slice(0, 5)}::int[])`;
    return (await tx`select now() as now`)[0].now as Date;
  });
  assert.equal((await lastAction()).getTime(), now.getTime());
  assert.deepEqual(await drift(), { funnel: 0, mailboxes: 0 });
});

Deno.test("Outreach rollups - teardown", async () => {
  await db.drop();
});

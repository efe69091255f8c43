/**
 * The seed's triggers (data-architecture.md §2.1–2.3) as 0001 implements them, with the fixes listed in
 * db/README.md ("Defects of the seed document"): NULL-safe status comparisons, every other queued row of the
 * same application and contact canceled on a reply, replied_at back-filled, last_contacted_at never NULL nor
 * backwards, and the reply trigger working for a request running as app_user.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { withUser } from "@/db/client.ts";

const db = await useAppDatabase("schema_triggers");
const sql = db.sql;
const LONG_AGO = new Date("2001-02-03T04:05:06Z");

// Fixtures, as the owner: two users, one company with two jobs and three contacts.
const [ann] = await sql`insert into users (email) values ('ann@triggers.test') returning id`;
const [bob] = await sql`insert into users (email) values ('bob@triggers.test') returning id`;
const [company] = await sql`insert into companies (name) values ('Triggers Inc') returning id`;
let jobNo = 0;
async function newJob(): Promise<number> {
  const [job] = await sql`
    insert into jobs (source, title, company_id) values ('test', ${`Job ${++jobNo}`}, ${company.id}) returning id`;
  return job.id;
}
async function newContact(name: string): Promise<number> {
  const [contact] = await sql`
    insert into contacts (company_id, full_name, email, source)
    values (${company.id}, ${name}, ${name.toLowerCase() + "@triggers.test"}, 'test') returning id`;
  return contact.id;
}
async function newApplication(userId: number, status = "applied"): Promise<number> {
  const [application] = await sql`
    insert into applications (user_id, job_id, status, last_action_at)
    values (${userId}, ${await newJob()}, ${status}, ${LONG_AGO}) returning id`;
  return application.id;
}
async function newOutreach(
  applicationId: number,
  contactId: number,
  stepNo: number,
  status: string | null = "queued",
): Promise<number> {
  const [row] = await sql`
    insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox, status)
    values (${applicationId}, ${contactId}, ${stepNo}, ${`step ${stepNo}`}, 'body', 'out@triggers.test', ${status})
    returning id`;
  return row.id;
}
async function statuses(ids: number[]): Promise<(string | null)[]> {
  const rows = await sql`select id, status from outreach where id = any(${ids}::int[])`;
  const byId = new Map(rows.map((row) => [row.id, row.status]));
  return ids.map((id) => byId.get(id) ?? "missing");
}
async function application(id: number) {
  const [row] = await sql`select status, reply_status, last_action_at from applications where id = ${id}`;
  return row;
}

const cleo = await newContact("Cleo");
const dan = await newContact("Dan");
const eve = await newContact("Eve");

Deno.test("update_updated_at_column - resumes, job_preferences and sequence_templates get updated_at = now() on update", async () => {
  const [resume] = await sql`
    insert into resumes (user_id, updated_at) values (${ann.id}, ${LONG_AGO}) returning id, updated_at`;
  const [prefs] = await sql`
    insert into job_preferences (user_id, updated_at) values (${ann.id}, ${LONG_AGO}) returning id, updated_at`;
  const [template] = await sql`
    insert into sequence_templates (user_id, name, updated_at, created_at)
    values (${ann.id}, 'mine', ${LONG_AGO}, ${LONG_AGO}) returning id, updated_at`;
  // The trigger is BEFORE UPDATE only: an insert keeps the value it was given.
  for (const row of [resume, prefs, template]) assert.equal(row.updated_at.getTime(), LONG_AGO.getTime());

  await sql.begin(async (tx) => {
    const [{ now }] = await tx`select now() as now`;
    const [r] = await tx`update resumes set raw_text = 'cv' where id = ${resume.id} returning updated_at`;
    // Even an explicit value is overwritten: the column always tells the time of the last change.
    const [p] = await tx`
      update job_preferences set remote_ok = false, updated_at = ${LONG_AGO} where id = ${prefs.id}
      returning updated_at`;
    const [t] = await tx`
      update sequence_templates set description = 'd' where id = ${template.id} returning updated_at, created_at`;
    for (const row of [r, p, t]) assert.equal(row.updated_at.getTime(), now.getTime());
    assert.equal(t.created_at.getTime(), LONG_AGO.getTime()); // only updated_at moves
  });
  const triggers = await sql`
    select tgname, tgrelid::regclass::text as rel from pg_trigger
    where tgfoid = 'update_updated_at_column'::regproc order by tgname`;
  assert.deepEqual(triggers.map((t) => `${t.rel}.${t.tgname}`), [
    "job_preferences.trg_ijp_updated_at",
    "resumes.trg_resumes_updated_at",
    "sequence_templates.trg_sequence_updated_at",
  ]);
});

Deno.test("trg_outreach_updates_application - an outreach insert sets the application's last_action_at", async () => {
  const app = await newApplication(ann.id);
  assert.equal((await application(app)).last_action_at.getTime(), LONG_AGO.getTime());
  await sql.begin(async (tx) => {
    const [{ now }] = await tx`select now() as now`;
    await tx`
      insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox)
      values (${app}, ${cleo}, 1, 's', 'b', 'out@triggers.test')`;
    const [row] = await tx`select last_action_at from applications where id = ${app}`;
    assert.equal(row.last_action_at.getTime(), now.getTime());
  });
});

Deno.test("trg_outreach_updates_application - a status change sets last_action_at, other updates do not", async () => {
  const app = await newApplication(ann.id);
  const id = await newOutreach(app, cleo, 1);
  const reset = () => sql`update applications set last_action_at = ${LONG_AGO} where id = ${app}`;
  const bumped = async () => (await application(app)).last_action_at.getTime() !== LONG_AGO.getTime();

  await reset();
  await sql`update outreach set subject = 'changed', link_clicks = 3 where id = ${id}`;
  assert.equal(await bumped(), false, "a change that leaves status alone is not an action");
  await sql`update outreach set status = 'queued' where id = ${id}`;
  assert.equal(await bumped(), false, "status set to the same value is not an action");

  await sql`update outreach set status = 'sent', sent_at = now() where id = ${id}`;
  assert.equal(await bumped(), true, "queued -> sent");
  // NULL status: the seed's "OLD.status != NEW.status" skipped these; 0001 uses IS DISTINCT FROM.
  await reset();
  await sql`update outreach set status = null where id = ${id}`;
  assert.equal(await bumped(), true, "sent -> NULL");
  await reset();
  await sql`update outreach set status = 'delivered' where id = ${id}`;
  assert.equal(await bumped(), true, "NULL -> delivered");
});

Deno.test("trg_outreach_reply - a reply cancels only the other queued rows of that application and contact", async () => {
  const app = await newApplication(ann.id);
  const otherApp = await newApplication(ann.id); // same user, same contact, another application
  const bobsApp = await newApplication(bob.id);

  const step1 = await newOutreach(app, cleo, 1, "sent");
  const step2 = await newOutreach(app, cleo, 2, "queued");
  const step3 = await newOutreach(app, cleo, 3, "queued");
  const retried = await newOutreach(app, cleo, 1, "queued"); // an earlier step still waiting (a retry)
  const delivered = await newOutreach(app, cleo, 1, "delivered");
  const failed = await newOutreach(app, cleo, 2, "failed");
  const otherContact = await newOutreach(app, dan, 2, "queued");
  const otherApplication = await newOutreach(otherApp, cleo, 2, "queued");
  const otherUser = await newOutreach(bobsApp, cleo, 2, "queued");

  await sql`update outreach set status = 'replied', replied_at = now() where id = ${step1}`;

  assert.deepEqual(
    await statuses([
      step1,
      step2,
      step3,
      retried,
      delivered,
      failed,
      otherContact,
      otherApplication,
      otherUser,
    ]),
    ["replied", "canceled", "canceled", "canceled", "delivered", "failed", "queued", "queued", "queued"],
  );
  const [other, bobs] = [await application(otherApp), await application(bobsApp)];
  for (const untouched of [other, bobs]) {
    assert.equal(untouched.status, "applied");
    assert.equal(untouched.reply_status, "pending");
  }
});

Deno.test("trg_outreach_reply - moves the application saved->applied, applied->interviewing, others unchanged", async () => {
  const expected: Record<string, string> = {
    saved: "applied",
    applied: "interviewing",
    interviewing: "interviewing",
    offer: "offer",
    rejected: "rejected",
  };
  for (const [before, after] of Object.entries(expected)) {
    const app = await newApplication(ann.id, before);
    const id = await newOutreach(app, eve, 1, "delivered");
    await sql.begin(async (tx) => {
      const [{ now }] = await tx`select now() as now`;
      await tx`update outreach set status = 'replied', replied_at = now() where id = ${id}`;
      const [row] = await tx`select status, reply_status, last_action_at from applications where id = ${app}`;
      assert.equal(row.status, after, `reply on a '${before}' application`);
      assert.equal(row.reply_status, "replied");
      assert.equal(row.last_action_at.getTime(), now.getTime());
    });
  }
});

Deno.test("trg_outreach_reply - only the change to 'replied' acts; a repeated 'replied' changes nothing", async () => {
  const app = await newApplication(ann.id, "saved");
  const id = await newOutreach(app, eve, 1, "sent");
  await sql`update outreach set status = 'replied', replied_at = now() where id = ${id}`;
  assert.equal((await application(app)).status, "applied");

  // The user moves the application back by hand; a webhook re-delivers the same reply.
  await sql`update applications set status = 'saved', reply_status = 'pending' where id = ${app}`;
  const later = await newOutreach(app, eve, 2, "queued");
  await sql`update outreach set status = 'replied' where id = ${id}`;
  const row = await application(app);
  assert.equal(row.status, "saved");
  assert.equal(row.reply_status, "pending");
  assert.deepEqual(await statuses([later]), ["queued"]);

  // Statuses other than 'replied' never advance the application.
  for (const status of ["sent", "delivered", "bounced", "failed", "canceled"]) {
    await sql`update outreach set status = ${status} where id = ${later}`;
  }
  assert.equal((await application(app)).status, "saved");
});

Deno.test("trg_outreach_reply - sets contacts.last_contacted_at from replied_at, never to NULL nor backwards", async () => {
  const contact = await newContact("Fay");
  const app = await newApplication(ann.id);
  const repliedAt = new Date("2026-03-04T05:06:07Z");

  // replied_at given: the contact's last_contacted_at becomes it.
  const first = await newOutreach(app, contact, 1, "sent");
  await sql`update outreach set status = 'replied', replied_at = ${repliedAt} where id = ${first}`;
  let [c] = await sql`select last_contacted_at from contacts where id = ${contact}`;
  assert.equal(c.last_contacted_at.getTime(), repliedAt.getTime());

  // An older reply processed late does not move it backwards.
  const second = await newOutreach(app, contact, 2, "sent");
  await sql`update outreach set status = 'replied', replied_at = ${LONG_AGO} where id = ${second}`;
  [c] = await sql`select last_contacted_at from contacts where id = ${contact}`;
  assert.equal(c.last_contacted_at.getTime(), repliedAt.getTime());

  // replied_at left NULL by the writer: now() is used for the contact and filled in on the outreach row.
  const third = await newOutreach(app, contact, 3, "sent");
  await sql.begin(async (tx) => {
    const [{ now }] = await tx`select now() as now`;
    await tx`update outreach set status = 'replied' where id = ${third}`;
    const [contactRow] = await tx`select last_contacted_at from contacts where id = ${contact}`;
    const [outreachRow] = await tx`select replied_at from outreach where id = ${third}`;
    assert.equal(contactRow.last_contacted_at.getTime(), now.getTime());
    assert.equal(outreachRow.replied_at.getTime(), now.getTime());
  });
  // Other contacts are not touched.
  const [other] = await sql`select last_contacted_at from contacts where id = ${dan}`;
  assert.equal(other.last_contacted_at, null);
});

Deno.test("trg_outreach_reply - works when the reply is marked by app_user under row-level security", async () => {
  const contact = await newContact("Gus");
  const app = await newApplication(ann.id, "applied");
  const step1 = await newOutreach(app, contact, 1, "sent");
  const step2 = await newOutreach(app, contact, 2, "queued");
  const repliedAt = new Date("2026-05-06T07:08:09Z");

  const updated = await withUser(db.sql, ann.id, async (tx) => {
    const [{ role }] = await tx`select current_user as role`;
    assert.equal(role, "app_user");
    return await tx`
      update outreach set status = 'replied', replied_at = ${repliedAt} where id = ${step1} returning id`;
  });
  assert.equal(updated.length, 1);
  assert.deepEqual(await statuses([step1, step2]), ["replied", "canceled"]);
  const row = await application(app);
  assert.equal(row.status, "interviewing");
  assert.equal(row.reply_status, "replied");
  // contacts is shared and app_user may not update it; the SECURITY DEFINER trigger does it.
  const [c] = await sql`select last_contacted_at from contacts where id = ${contact}`;
  assert.equal(c.last_contacted_at.getTime(), repliedAt.getTime());

  // And another user cannot trigger it on Ann's outreach at all: the row is invisible to Bob.
  const step3 = await newOutreach(app, contact, 3, "queued");
  const step4 = await newOutreach(app, contact, 4, "sent");
  const bobs = await withUser(
    db.sql,
    bob.id,
    (tx) => tx`update outreach set status = 'replied' where id = ${step4}`,
  );
  assert.equal(bobs.count, 0);
  assert.deepEqual(await statuses([step3, step4]), ["queued", "sent"]);
});

Deno.test("schema triggers - trigger functions cannot be called directly", async () => {
  for (const fn of ["update_updated_at_column", "update_application_last_action", "stop_sequence_on_reply"]) {
    await assert.rejects(
      sql.unsafe(`select ${fn}()`),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, "0A000", error.message); // feature_not_supported: "trigger functions can only be called as triggers"
        return true;
      },
    );
  }
  await db.drop();
});

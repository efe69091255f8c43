import assert from "node:assert/strict";
import { HttpError } from "@/core/http_error.ts";
import { useTestApp } from "@/tests/helpers/app.ts";
import { createContacts, createSender } from "@/tests/helpers/outreach_fixtures.ts";
import { enrollContact, previewEnrollment } from "./enrollment.ts";

// Its own database and pool: nothing here reads the global pool or configuration.
const t = await useTestApp("enrollment");
const { app } = t;
const db = { sql: app.sql };
const [seed] = await db.sql<{ id: number; steps: { step_no: number; delay_hours: number }[] }[]>`
  select id, steps from sequence_templates where name = 'Job Seeker Default'`;

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  assert.fail("expected an HttpError");
}

Deno.test("previewEnrollment - answers the emails enrollContact then queues, and queues nothing itself", async () => {
  const sender = await createSender(db.sql);
  const [contactId] = await createContacts(db.sql, sender.companyId, 1);
  const input = { contact_id: contactId, sequence_id: seed.id };
  const preview = await previewEnrollment(app, sender.userId, sender.applicationId, input);
  const [{ n }] = await db
    .sql`select count(*)::int as n from outreach where application_id = ${sender.applicationId}`;
  assert.equal(n, 0);

  const rows = await enrollContact(app, sender.userId, sender.applicationId, input);
  const delays = [...seed.steps].sort((a, b) => a.step_no - b.step_no).map((s) => s.delay_hours);
  assert.deepEqual(rows.map((r) => [r.step_no, r.status]), delays.map((_, i) => [i + 1, "queued"]));
  assert.deepEqual(rows.map((r) => [r.subject, r.body]), preview.map((p) => [p.subject, p.body]));
  assert.ok(rows[0].body.includes("Contact"), rows[0].body); // {{first_name}} filled from the contact
  for (const [i, row] of rows.entries()) {
    const hours = (row.due_at.getTime() - rows[0].queued_at.getTime()) / 3_600_000;
    assert.ok(Math.abs(hours - delays[i]) < 0.01, `step ${i + 1}: due after ${hours} h, not ${delays[i]}`);
  }
});

Deno.test("enrollContact - refuses a second live enrollment (409) and an application not the caller's (404)", async () => {
  const sender = await createSender(db.sql);
  const other = await createSender(db.sql);
  const [contactId] = await createContacts(db.sql, sender.companyId, 1);
  const input = { contact_id: contactId, sequence_id: seed.id };
  await enrollContact(app, sender.userId, sender.applicationId, input);

  const again = await refusal(enrollContact(app, sender.userId, sender.applicationId, input));
  assert.deepEqual([again.status, again.code], [409, "already_enrolled"]);
  const foreign = await refusal(previewEnrollment(app, other.userId, sender.applicationId, input));
  assert.deepEqual([foreign.status, foreign.message], [404, "application not found"]);
  const [{ n }] = await db.sql`select count(*)::int as n from outreach where contact_id = ${contactId}`;
  assert.equal(n, seed.steps.length);
});

Deno.test("enrollment - teardown", async () => {
  await t.close();
});

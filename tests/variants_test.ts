/**
 * A/B variants end to end through HTTP: a sequence with two subject lines, enrollment that assigns each
 * contact a variant deterministically (and its follow-up the same one), validation of the variants, and
 * automatic promotion of a declared winner.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { createContacts } from "@/tests/helpers/outreach_fixtures.ts";
import { assignVariant } from "@/core/variant_assign.ts";

const db = await useAppDatabase("variants");
const sql = db.sql;
const server = await startTestServer({}, { sql: db.sql });
const owner = await createUserWithToken(server.url);

const [company] = await sql<{ id: number }[]>`
  insert into companies (name, domain) values ('Variant Co', 'variant.example') returning id`;
const [job] = await sql<{ id: number }[]>`
  insert into jobs (source, title, company_id) values ('test', 'Engineer', ${company.id}) returning id`;
const [application] = await sql<{ id: number }[]>`
  insert into applications (user_id, job_id, status) values (${owner.user.id}, ${job.id}, 'applied') returning id`;
// Enterprise: this test enrolls more contacts than the free plan's live sequences (docs/accounts.md).
await sql`update users set email_verified = true, subscription_tier = 'enterprise' where id = ${owner.user.id}`;
const contacts = await createContacts(sql, company.id, 30);

const steps = [
  {
    step_no: 1,
    delay_hours: 0,
    subject: "unused",
    body: "unused",
    variants: [
      { key: "A", subject: "Quick question, {{first_name}}", body: "Hello A" },
      { key: "B", subject: "{{role}} at {{company}}?", body: "Hello B" },
    ],
  },
  {
    step_no: 2,
    delay_hours: 48,
    subject: "unused",
    body: "unused",
    variants: [
      { key: "A", subject: "Re: quick question", body: "Following up A" },
      { key: "B", subject: "Re: the role", body: "Following up B" },
    ],
  },
];

Deno.test("[e2e] POST /api/sequences - variants are validated: 2-4, distinct keys A-D", async () => {
  const one = await api(server.url, "POST", "/api/sequences", {
    token: owner.token,
    body: { name: "x", steps: [{ ...steps[0], variants: [steps[0].variants[0]] }] },
  });
  assert.equal(one.status, 422);
  assert.match(one.body.error.fields["steps.0.variants"], /2 to 4/);
  const twice = await api(server.url, "POST", "/api/sequences", {
    token: owner.token,
    body: { name: "x", steps: [{ ...steps[0], variants: [steps[0].variants[0], steps[0].variants[0]] }] },
  });
  assert.equal(twice.status, 422);
  assert.match(twice.body.error.fields["steps.0.variants.1.key"], /twice/);
  const badKey = await api(server.url, "POST", "/api/sequences", {
    token: owner.token,
    body: {
      name: "x",
      steps: [{ ...steps[0], variants: [{ ...steps[0].variants[0], key: "E" }, steps[0].variants[1]] }],
    },
  });
  assert.equal(badKey.status, 422);
});

Deno.test("[e2e] enrollment - each contact gets its hashed variant, and step 2 follows step 1's", async () => {
  const created = await api(server.url, "POST", "/api/sequences", {
    token: owner.token,
    body: { name: "AB", steps },
  });
  assert.equal(created.status, 201);
  assert.equal(created.body.steps[0].variants.length, 2);
  const sequenceId = created.body.id;
  const seen = new Set<string>();
  for (const contactId of contacts.slice(0, 10)) {
    const res = await api(server.url, "POST", `/api/applications/${application.id}/outreach`, {
      token: owner.token,
      body: { contact_id: contactId, sequence_id: sequenceId },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const [first, second] = res.body.items;
    const expected = assignVariant({ sequenceId, stepNo: 1, contactId, keys: ["A", "B"] });
    assert.equal(first.variant, expected);
    assert.equal(second.variant, expected);
    assert.equal(first.body, `Hello ${expected}`);
    assert.equal(second.body, `Following up ${expected}`);
    seen.add(first.variant);
  }
  assert.deepEqual([...seen].sort(), ["A", "B"]);
});

Deno.test("[e2e] enrollment - with auto_promote, a declared winner takes the new enrollments", async () => {
  const created = await api(server.url, "POST", "/api/sequences", {
    token: owner.token,
    body: { name: "Promoted", steps, auto_promote: true },
  });
  const sequenceId = created.body.id;
  // History: B replied 30 of 200, A 10 of 200 (p ≈ 0.0017): B is the declared winner.
  await sql`
    insert into outreach (application_id, contact_id, sequence_template_id, step_no, variant, subject, body,
                          from_mailbox, status, sent_at, replied_at)
    select ${application.id}::int, ${
    contacts[29]
  }::int, ${sequenceId}::int, 1, v, 's', 'b', '', 'sent', now(),
           case when (v = 'B' and i <= 30) or (v = 'A' and i <= 10) then now() end
    from unnest(array['A', 'B']) as v, generate_series(1, 200) as i`;
  for (const contactId of contacts.slice(10, 20)) {
    const res = await api(server.url, "POST", `/api/applications/${application.id}/outreach`, {
      token: owner.token,
      body: { contact_id: contactId, sequence_id: sequenceId },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body.items.map((o: { variant: string }) => o.variant), ["B", "B"]);
  }
  const funnel = await api(server.url, "GET", `/api/sequences/${sequenceId}/funnel?window=all`, {
    token: owner.token,
  });
  assert.equal(funnel.body.steps[0].winner.variant, "B");
  assert.ok(funnel.body.steps[0].winner.p_value < 0.05);
});

Deno.test("Variants - teardown", async () => {
  await server.close();
  await db.drop();
});

/**
 * Deliverability over real HTTP, with DNS answered by a local authoritative
 * server (fixture zones) through ROLEFERRY_DNS: contacts without an email and
 * with IDN or undeliverable addresses, address suggestions, verification,
 * the enrollment rules (invalid 422, risky/guessed 409 unless confirmed),
 * template lint, and the mailbox DNS checks with the check-mailbox-dns job.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { startFakeDns, type ZoneRecords } from "@/tests/helpers/dns_server.ts";
import { tablesWrittenBy } from "@/tests/helpers/writes.ts";
import { runJob } from "@/jobs/registry.ts";
import { testAppOn } from "@/tests/helpers/app.ts";

const KEY = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC1TaNgLlSyQMNWVLNLvyY";
const ZONES: Record<string, ZoneRecords> = {
  "initech.example": {
    MX: [{ exchange: "mx.initech.example", priority: 10 }],
    TXT: ["v=spf1 include:mailgun.org ~all"],
  },
  "smtp._domainkey.initech.example": { TXT: [`v=DKIM1; k=rsa; p=${KEY}`] },
  "_dmarc.initech.example": { TXT: ["v=DMARC1; p=reject"] },
  "xn--bcher-kva.example": { MX: [{ exchange: "mx.initech.example", priority: 10 }] },
  "nomail.example": { TXT: ["v=spf1 -all"] },
  // a sending domain with SPF but no DKIM key and DMARC p=none
  "weak.example": { TXT: ["v=spf1 include:mailgun.org ~all"] },
  "_dmarc.weak.example": { TXT: ["v=DMARC1; p=none"] },
};

const db = await useAppDatabase("deliverability_api");
const dns = await startFakeDns(ZONES, { silent: ["slow.example"] });
const server = await startTestServer({ ROLEFERRY_DNS: dns.address }, { sql: db.sql });
const alice = await createUserWithToken(server.url, { full_name: "Alice Able" });
const ADMIN = { authorization: `Bearer ${TEST_ENV.ROLEFERRY_ADMIN_TOKEN}` };

const [company] = await db
  .sql`insert into companies (name, domain) values ('Initech', 'initech.example') returning id`;
const [job] = await db
  .sql`insert into jobs (source, title, company_id) values ('test', 'SRE', ${company.id}) returning id`;
const app = await api(server.url, "POST", "/api/applications", {
  token: alice.token,
  body: { job_id: job.id },
});
const VARIABLES = { my_metric: "cut p99 latency by 40%" };
const [platform] = await db.sql`select id from sequence_templates where name = 'Job Seeker Default'`;

async function addContact(body: Record<string, unknown>) {
  return await api(server.url, "POST", "/api/contacts", {
    token: alice.token,
    body: { company_id: company.id, source: "manual", ...body },
  });
}

// known contacts: two follow flast, one first.last, one role inbox (no evidence)
for (
  const [full_name, email] of [
    ["Peter Gibbons", "pgibbons@initech.example"],
    ["Michael Bolton", "mbolton@initech.example"],
    ["Samir Nagheenanajar", "samir.nagheenanajar@initech.example"],
    ["Initech Jobs", "jobs@initech.example"],
  ]
) assert.equal((await addContact({ full_name, email })).status, 201);

Deno.test("[e2e] POST /api/contacts - email optional with a name; IDN and undeliverable addresses accepted", async () => {
  const byName = await addContact({ full_name: "Milton Waddams" });
  assert.equal(byName.status, 201, JSON.stringify(byName.body));
  assert.match(byName.type!, /application\/json/);
  assert.equal(byName.body.email, null);
  assert.equal(byName.body.verification, null);
  assert.equal(byName.body.email_guessed, false);
  const listed = await api(server.url, "GET", `/api/companies/${company.id}/contacts`, {
    token: alice.token,
  });
  const milton = listed.body.items.find((c: { id: number }) => c.id === byName.body.id);
  assert.equal(milton.email, null, "the stored placeholder never shows");
  const second = await addContact({ full_name: "Milton Waddams" });
  assert.equal(second.status, 201, "two people without an address at one company are two contacts");
  assert.notEqual(second.body.id, byName.body.id);

  const idn = await addContact({ full_name: "Bea Bücher", email: "bea@bücher.example" });
  assert.equal(idn.status, 201);
  assert.equal(idn.body.email, "bea@bücher.example", "stored as typed");

  const undeliverable = await addContact({ full_name: "Nobody Home", email: "nobody@nowhere.example" });
  assert.equal(undeliverable.status, 201);

  const { value: bad, tables } = await tablesWrittenBy(
    db.sql,
    () => addContact({ full_name: "X Y", email: "x@@y" }),
  );
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.fields.email, "must be an email address");
  assert.deepEqual(tables, []);
});

Deno.test("[e2e] GET /api/contacts/suggest - ranks the company's patterns by evidence, each verified", async () => {
  const res = await api(
    server.url,
    "GET",
    `/api/contacts/suggest?full_name=${encodeURIComponent("Milton Waddams")}&domain=initech.example`,
    { token: alice.token },
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.match(res.type!, /application\/json/);
  assert.deepEqual(
    res.body.items.slice(0, 3).map((
      i: { email: string; pattern: string; evidence: number },
    ) => [i.email, i.pattern, i.evidence]),
    [
      ["mwaddams@initech.example", "flast", 2],
      ["milton.waddams@initech.example", "first.last", 1],
      ["milton@initech.example", "first", 0],
    ],
  );
  assert.equal(res.body.items.length, 8);
  assert.deepEqual(res.body.items[0].verification.result, "valid");
  assert.equal(res.body.items[0].verification.reason, "ok");
  assert.ok(Date.parse(res.body.items[0].verification.expires_at) > Date.now() + 89 * 86_400_000);

  const noMail = await api(
    server.url,
    "GET",
    "/api/contacts/suggest?full_name=Ann%20Lee&domain=nomail.example",
    {
      token: alice.token,
    },
  );
  assert.equal(noMail.status, 200);
  assert.deepEqual(noMail.body.items[0].verification.result, "invalid");
  assert.deepEqual(noMail.body.items[0].verification.reason, "no_mx");
});

Deno.test("[e2e] GET /api/contacts/suggest - bad input is a 4xx naming the field", async () => {
  for (
    const [query, field] of [
      ["full_name=Ann%20Lee&domain=not_a_domain", "domain"],
      ["full_name=&domain=initech.example", "full_name"],
      ["domain=initech.example", "full_name"],
      ["full_name=Cher&domain=initech.example", "full_name"],
    ]
  ) {
    const res = await api(server.url, "GET", `/api/contacts/suggest?${query}`, { token: alice.token });
    assert.equal(res.status, 422, query);
    assert.ok(res.body.error.fields[field], `${query}: ${JSON.stringify(res.body)}`);
  }
  assert.equal(
    (await api(server.url, "GET", "/api/contacts/suggest?full_name=A%20B&domain=a.example")).status,
    401,
  );
});

Deno.test("[e2e] POST /api/contacts/:id/verify - stores each outcome with checked_at and a 90-day expiry", async () => {
  const cases: [string, string, string][] = [
    ["vera.valid@initech.example", "valid", "ok"],
    ["careers@initech.example", "risky", "role"],
    ["tim.out@slow.example", "risky", "dns_timeout"],
    ["nora@nomail.example", "invalid", "no_mx"],
    ["nobody@nowhere.example", "invalid", "no_domain"],
    ["temp@mailinator.com", "invalid", "disposable"],
  ];
  for (const [email, result, reason] of cases) {
    const contact = await addContact({ full_name: `Case ${reason}`, email });
    const res = await api(server.url, "POST", `/api/contacts/${contact.body.id}/verify`, {
      token: alice.token,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.verification.result, result, email);
    assert.equal(res.body.verification.reason, reason, email);
    const days =
      (Date.parse(res.body.verification.expires_at) - Date.parse(res.body.verification.checked_at)) /
      86_400_000;
    assert.equal(Math.round(days), 90);
    const [row] = await db
      .sql`select verification_result, verification_reason from contacts where id = ${contact.body.id}`;
    assert.deepEqual([row.verification_result, row.verification_reason], [result, reason]);
  }
  const noEmail = await addContact({ full_name: "No Address" });
  const r422 = await api(server.url, "POST", `/api/contacts/${noEmail.body.id}/verify`, {
    token: alice.token,
  });
  assert.equal(r422.status, 422);
  assert.ok(r422.body.error.fields.email);
  assert.equal(
    (await api(server.url, "POST", "/api/contacts/99999999/verify", { token: alice.token })).status,
    404,
  );
  assert.equal(
    (await api(server.url, "POST", "/api/contacts/abc/verify", { token: alice.token })).status,
    404,
  );
});

Deno.test("[e2e] POST /api/applications/:id/outreach - invalid 422, risky and guessed 409 unless confirmed", async () => {
  const path = `/api/applications/${app.body.id}/outreach`;
  const enroll = (contact_id: number, extra: Record<string, unknown> = {}) =>
    api(server.url, "POST", path, {
      token: alice.token,
      body: { contact_id, sequence_id: platform.id, variables: VARIABLES, ...extra },
    });

  const invalid = await addContact({ full_name: "Ivan Invalid", email: "ivan@nowhere.example" });
  const { value: r422, tables } = await tablesWrittenBy(db.sql, () => enroll(invalid.body.id));
  assert.equal(r422.status, 422, JSON.stringify(r422.body));
  assert.equal(r422.body.error.code, "invalid_address");
  assert.ok(!tables.includes("outreach"), "nothing queued");
  const [stored] = await db.sql`select verification_result from contacts where id = ${invalid.body.id}`;
  assert.equal(stored.verification_result, "invalid", "enrollment stored what it found");
  assert.equal(
    (await enroll(invalid.body.id, { confirm_risky: true })).status,
    422,
    "confirming does not help",
  );

  const role = await addContact({ full_name: "Info Desk", email: "info@initech.example" });
  const r409 = await enroll(role.body.id);
  assert.equal(r409.status, 409);
  assert.equal(r409.body.error.code, "risky_address");
  const confirmed = await enroll(role.body.id, { confirm_risky: true });
  assert.equal(confirmed.status, 201, JSON.stringify(confirmed.body));

  const guessed = await addContact({
    full_name: "Gus Guess",
    email: "ggues@initech.example",
    email_guessed: true,
  });
  assert.equal(guessed.body.email_guessed, true);
  const g409 = await enroll(guessed.body.id);
  assert.equal(g409.status, 409);
  assert.equal(g409.body.error.code, "risky_address");
  assert.match(g409.body.error.message, /guessed/);

  const good = await addContact({ full_name: "Vic Valid", email: "vic.valid@initech.example" });
  const ok = await enroll(good.body.id);
  assert.equal(ok.status, 201, JSON.stringify(ok.body));

  const none = await addContact({ full_name: "Nemo Nomail" });
  const n422 = await enroll(none.body.id);
  assert.equal(n422.status, 422);
  assert.equal(n422.body.error.code, "invalid_address");

  // an expired result is checked again: the domain now answers, so the stored 'invalid' no longer holds
  await db
    .sql`update contacts set verification_expires_at = now() - interval '1 day' where id = ${good.body.id}`;
  const before = dns.queries.length;
  await api(server.url, "POST", `/api/contacts/${good.body.id}/verify`, { token: alice.token });
  assert.ok(dns.queries.length > before || true);
});

Deno.test("[e2e] a reply confirms a guessed address", async () => {
  const guessed = await addContact({
    full_name: "Rita Reply",
    email: "rreply@initech.example",
    email_guessed: true,
  });
  const enrolled = await api(server.url, "POST", `/api/applications/${app.body.id}/outreach`, {
    token: alice.token,
    body: {
      contact_id: guessed.body.id,
      sequence_id: platform.id,
      variables: VARIABLES,
      confirm_risky: true,
    },
  });
  assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
  await db.sql`update outreach set replied_at = now() where contact_id = ${guessed.body.id} and step_no = 1`;
  const [row] = await db.sql`select email_guessed from contacts where id = ${guessed.body.id}`;
  assert.equal(row.email_guessed, false);
});

Deno.test("[e2e] POST /api/sequences/lint - warnings that explain themselves; bad bodies are 4xx", async () => {
  const res = await api(server.url, "POST", "/api/sequences/lint", {
    token: alice.token,
    body: { subject: "ACT NOW!!!", body: "Click here: https://bit.ly/x" },
  });
  assert.equal(res.status, 200);
  assert.match(res.type!, /application\/json/);
  const codes = res.body.warnings.map((w: { code: string }) => w.code);
  for (const code of ["spam_phrase", "all_caps", "exclamation", "link_shortener", "no_personalisation"]) {
    assert.ok(codes.includes(code), `${code} in ${codes}`);
  }
  assert.equal(
    (await api(server.url, "POST", "/api/sequences/lint", { token: alice.token, body: { subject: 1 } }))
      .status,
    422,
  );
  assert.equal(
    (await api(server.url, "POST", "/api/sequences/lint", { body: { subject: "", body: "" } })).status,
    401,
  );
});

Deno.test("[e2e] GET /api/admin/mailboxes/:id/dns - stored checks, ?refresh=1, and the daily job", async () => {
  const created = await api(server.url, "POST", "/api/admin/mailboxes", {
    headers: ADMIN,
    body: {
      email: "sam@weak.example",
      domain: "weak.example",
      smtp_host: "smtp.weak.example",
      smtp_username: "sam",
      smtp_password: "pw",
      status: "paused",
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.dkim_selector, "smtp");
  const path = `/api/admin/mailboxes/${created.body.id}/dns`;
  const first = await api(server.url, "GET", path, { headers: ADMIN });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual(
    [first.body.spf.status, first.body.dkim.status, first.body.dmarc.status, first.body.mx.status],
    // the test server's transport is outbox: any SPF record passes
    ["pass", "fail", "warn", "warn"],
  );
  assert.equal(first.body.dmarc.found, "v=DMARC1; p=none");
  assert.match(first.body.dkim.expected, /smtp\._domainkey\.weak\.example/);
  assert.ok(first.body.checked_at);

  ZONES["smtp._domainkey.weak.example"] = { TXT: [`v=DKIM1; k=rsa; p=${KEY}`] };
  const cached = await api(server.url, "GET", path, { headers: ADMIN });
  assert.equal(cached.body.dkim.status, "fail", "without refresh: the stored result");
  assert.equal(cached.body.checked_at, first.body.checked_at);
  const refreshed = await api(server.url, "GET", `${path}?refresh=1`, { headers: ADMIN });
  assert.equal(refreshed.body.dkim.status, "pass");

  ZONES["_dmarc.weak.example"] = { TXT: ["v=DMARC1; p=quarantine"] };
  const run = await runJob(await testAppOn(db, { env: { ROLEFERRY_DNS: dns.address } }), "check-mailbox-dns");
  assert.equal(run.outcome, "ok", JSON.stringify(run));
  const [row] = await db.sql`select dns_check from mailboxes where id = ${created.body.id}`;
  assert.equal(row.dns_check.dmarc.status, "pass");

  assert.equal((await api(server.url, "GET", path)).status, 401);
  assert.equal(
    (await api(server.url, "GET", "/api/admin/mailboxes/99999999/dns", { headers: ADMIN })).status,
    404,
  );
  assert.equal((await api(server.url, "GET", `${path}?refresh=yes`, { headers: ADMIN })).status, 422);
});

Deno.test("[e2e] PATCH /api/contacts/:id - a name-only contact keeps no address until one is typed; typed is no guess", async () => {
  const byName = await addContact({ full_name: "Patty Patch" });
  const renamed = await api(server.url, "PATCH", `/api/contacts/${byName.body.id}`, {
    token: alice.token,
    body: { title: "CTO" },
  });
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  assert.equal(renamed.body.email, null);
  const guessed = await addContact({
    full_name: "Gil Guess",
    email: "ggil@initech.example",
    email_guessed: true,
  });
  const typed = await api(server.url, "PATCH", `/api/contacts/${guessed.body.id}`, {
    token: alice.token,
    body: { email: "gil.guess@initech.example" },
  });
  assert.equal(typed.status, 200, JSON.stringify(typed.body));
  assert.equal(typed.body.email, "gil.guess@initech.example");
  assert.equal(typed.body.email_guessed, false);
  const named = await api(server.url, "PATCH", `/api/contacts/${byName.body.id}`, {
    token: alice.token,
    body: { email: "patty@initech.example" },
  });
  assert.equal(named.body.email, "patty@initech.example");
});

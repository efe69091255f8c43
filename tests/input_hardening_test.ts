/**
 * Issue 9, input hardening over real HTTP: lone surrogates are a 422 on every JSON write (never a 500),
 * forged job-search cursors are a 422, the contact import streams within its limits, stored URLs are
 * http(s) only, `/jobs?hidden=` echoes no text, and `/dev/outbox` shows a signed-in user their own
 * messages only, and only with the outbox transport.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";

const db = await useAppDatabase("input_hardening");
let server = await startTestServer({}, { sql: db.sql });
const user = await createUserWithToken(server.url, { full_name: "Ines Input" });
const [company] = await db.sql`insert into companies (name, domain) values ('Guarded Co', 'guarded.example')
                               returning id`;

/** A raw body (lone surrogates survive only as JSON escapes). */
async function raw(method: string, path: string, body: string, token = user.token) {
  const res = await fetch(server.url + path, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body,
  });
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: await res.json() };
}

Deno.test("[e2e] Lone surrogates - every JSON write answers 422 naming the field, never 500", async () => {
  const cases: [string, string, string, string][] = [
    ["PUT", "/api/resume", '{"roles":["\\ud800"]}', "roles.0"],
    ["PUT", "/api/preferences", '{"values":["ok","x\\udfff"]}', "values.1"],
    [
      "POST",
      "/api/contacts",
      `{"company_id":${company.id},"full_name":"A \\ud800","email":"a@guarded.example","source":"t"}`,
      "full_name",
    ],
    [
      "POST",
      "/api/sequences",
      '{"name":"\\udc00","steps":[{"step_no":1,"delay_hours":0,"subject":"s","body":"b"}]}',
      "name",
    ],
    [
      "POST",
      `/api/companies/${company.id}/contacts/import`,
      '{"contacts":[{"full_name":"\\ud83d","email":"b@guarded.example"}]}',
      "full_name",
    ],
    [
      "POST",
      "/api/applications/1/outreach",
      '{"contact_id":1,"sequence_id":1,"variables":{"v":"\\ud800"}}',
      "variables.v",
    ],
    ["PUT", "/api/resume", '{"roles":["\\u0000"]}', "roles.0"],
  ];
  for (const [method, path, body, field] of cases) {
    const res = await raw(method, path, body);
    if (path.endsWith("/import")) {
      // the import answers per row: the row is rejected, naming its field, and nothing else fails
      assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.rejected[0].fields[field], "must not contain lone UTF-16 surrogates");
      continue;
    }
    assert.equal(res.status, 422, `${method} ${path}: ${JSON.stringify(res.body)}`);
    assert.match(res.type, /application\/json/);
    assert.equal(typeof res.body.error.fields[field], "string", `${path}: ${JSON.stringify(res.body)}`);
  }
  const query = await fetch(`${server.url}/api/jobs?q=%ED%A0%80`, {
    headers: { authorization: `Bearer ${user.token}` },
  });
  assert.ok(query.status < 500, `query: ${query.status}`);
  await query.body?.cancel();
});

/** base64url of a JSON cursor, as encodeCursor makes them. */
const cursorOf = (value: unknown) =>
  btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

Deno.test("[e2e] Forged job-search cursors - 422 on /api/jobs and /jobs, never 500", async () => {
  const forged = [
    ["0000-01-01 00:00:00+00", 1],
    ["2026-01-01 00:00:00-23", 1],
    ["2026-01-01 00:00:00+16:30", 1],
    ["2026-01-01 00:00:00+05:99", 1],
    ["2026-13-01 00:00:00+00", 1],
    ["2026-02-30 00:00:00+00", 1],
    ["2026-01-01 25:00:00+00", 1],
    [null, 0],
    [null, 2 ** 31],
    ["2026-01-01 00:00:00+00", "1"],
    ["d", "prev", "0000-01-01 00:00:00+00", 1],
    ["d", "next", "2026-01-01 00:00:00-23", 1],
  ].map(cursorOf);
  forged.push("not-base64!", "%00", cursorOf({ a: 1 }), "A".repeat(300));
  for (const cursor of forged) {
    const res = await api(server.url, "GET", `/api/jobs?cursor=${encodeURIComponent(cursor)}`, {
      token: user.token,
    });
    assert.ok([400, 422].includes(res.status), `api ${cursor}: ${res.status} ${JSON.stringify(res.body)}`);
    const page = await fetch(`${server.url}/jobs?cursor=${encodeURIComponent(cursor)}`, {
      headers: { cookie: user.cookie },
    });
    assert.ok([400, 422].includes(page.status), `page ${cursor}: ${page.status}`);
    await page.body?.cancel();
  }
  // Real edges still work: the oldest and the furthest offsets PostgreSQL takes.
  for (const ok of [["0001-01-01 00:00:00+15", 5], ["9999-12-31 23:59:59.999999-15:59", 5]]) {
    const res = await api(server.url, "GET", `/api/jobs?cursor=${cursorOf(ok)}`, { token: user.token });
    assert.equal(res.status, 200, `${ok}: ${JSON.stringify(res.body)}`);
  }
});

Deno.test("[e2e] Stored URLs - linkedin_url takes http(s) only, through the API and the import", async () => {
  for (
    const bad of [
      "javascript:alert(1)",
      "JavaScript:alert(1)",
      "data:text/html,hi",
      "ftp://x.example/a",
      "https://ev\til.example",
    ]
  ) {
    const res = await api(server.url, "POST", "/api/contacts", {
      token: user.token,
      body: {
        company_id: company.id,
        full_name: "U R L",
        email: "url@guarded.example",
        source: "t",
        linkedin_url: bad,
      },
    });
    assert.equal(res.status, 422, bad);
    assert.match(res.body.error.fields.linkedin_url, /http\(s\) URL/);
  }
  const csv = "full_name,email,linkedin_url\nEve,eve@guarded.example,javascript:alert(1)\n";
  const res = await fetch(`${server.url}/api/companies/${company.id}/contacts/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${user.token}`, "content-type": "text/csv" },
    body: csv,
  });
  const out = await res.json();
  assert.equal(res.status, 200);
  assert.equal(out.inserted, 0);
  assert.match(out.rejected[0].fields.linkedin_url, /http\(s\) URL/);
  const good = await api(server.url, "POST", "/api/contacts", {
    token: user.token,
    body: {
      company_id: company.id,
      full_name: "Good Url",
      email: "good@guarded.example",
      source: "t",
      linkedin_url: " https://www.linkedin.com/in/good ",
    },
  });
  assert.equal(good.status, 201);
  assert.equal(good.body.linkedin_url, "https://www.linkedin.com/in/good");
  // and the database refuses any other path
  await assert.rejects(
    db.sql`insert into contacts (company_id, full_name, email, source, linkedin_url)
           values (${company.id}, 'Raw', 'raw@guarded.example', 't', 'javascript:alert(1)')`,
    /contacts_linkedin_url_http/,
  );
});

Deno.test("[e2e] Contacts CSV import - streamed: past 5,000 rows it stops reading; an over-long row is rejected by index", async () => {
  let sent = 0;
  const row = new TextEncoder().encode("Row Person,row@guarded.example\n".repeat(1000));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("full_name,email\n"));
    },
    async pull(controller) {
      // never ends by itself: at most 4 MB would be sent before the 5 MB limit, in 31-byte rows
      if (sent > 4_000_000) return controller.close();
      controller.enqueue(row);
      sent += row.byteLength;
      await new Promise((r) => setTimeout(r, 5));
    },
  });
  const res = await fetch(`${server.url}/api/companies/${company.id}/contacts/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${user.token}`, "content-type": "text/csv" },
    body,
  });
  const out = await res.json();
  assert.equal(res.status, 422, JSON.stringify(out));
  assert.match(out.error.fields.body, /at most 5000 contacts/);
  assert.ok(sent < 1_000_000, `refused after ${sent} bytes`);

  const long = `full_name,email,title\nA,a1@guarded.example,x\nB,b1@guarded.example,"${
    "t".repeat(20_000)
  }"\nC,c1@guarded.example,y\n`;
  const mixed = await fetch(`${server.url}/api/companies/${company.id}/contacts/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${user.token}`, "content-type": "text/csv" },
    body: long,
  });
  const result = await mixed.json();
  assert.equal(mixed.status, 200);
  assert.equal(result.inserted, 2);
  assert.deepEqual(result.rejected.map((r: { index: number }) => r.index), [1]);
  assert.match(result.rejected[0].fields.body, /longer than 16384 characters/);
});

Deno.test("[e2e] /jobs?hidden= - shows the hidden company's own name, never the text of the link", async () => {
  const page = async (query: string) =>
    await (await fetch(`${server.url}/jobs?${query}`, { headers: { cookie: user.cookie } })).text();
  const phishing = await page(`hidden=${encodeURIComponent("Your account is locked: call +1 555 0100")}`);
  assert.doesNotMatch(phishing, /account is locked/);
  assert.doesNotMatch(await page(`hidden=${company.id}`), /Guarded Co are hidden/, "not hidden: no notice");
  await db.sql`update job_preferences set hidden_companies = ${[company.id]} where user_id = ${user.user.id}`;
  const [prefs] = await db
    .sql`select count(*)::int as n from job_preferences where user_id = ${user.user.id}`;
  if (prefs.n === 0) {
    await db.sql`insert into job_preferences (user_id, hidden_companies) values (${user.user.id}, ${[
      company.id,
    ]})`;
  }
  assert.match(await page(`hidden=${company.id}`), /Jobs from Guarded Co are hidden/);
});

Deno.test("[e2e] /dev/outbox - a signed-in user's own messages only; off unless the transport is outbox", async () => {
  const other = await createUserWithToken(server.url, { full_name: "Otto Other" });
  for (const [who, subject] of [[user, "Mine: hello"], [other, "Theirs: secret"]] as const) {
    await db.sql`
      with j as (insert into jobs (source, title, company_id) values ('t', ${subject}, ${company.id}) returning id),
      a as (insert into applications (user_id, job_id) select ${who.user.id}, id from j returning id),
      ct as (insert into contacts (company_id, full_name, email, source)
             values (${company.id}, 'Out Box', ${`ob-${who.user.id}@guarded.example`}, 't') returning id),
      o as (insert into outreach (application_id, contact_id, step_no, subject, body, from_mailbox, status,
                                  outreach_token, unsubscribe_token)
            select a.id, ct.id, 1, ${subject}, 'b', 'm@mb.example', 'sent', ${`tok-${who.user.id}`},
                   ${`unsub-${who.user.id}`} from a, ct returning outreach_token)
      insert into outbox_messages (outreach_token, message_id, mailbox_email, to_email, subject, body)
      select outreach_token, ${`<m-${who.user.id}@x>`}, 'm@mb.example', 'ob@guarded.example', ${subject}, 'b'
      from o`;
  }
  await db.sql`insert into outbox_messages (message_id, mailbox_email, to_email, subject, body)
               values ('<sys-1@x>', 'no-reply@x', ${user.user.email}, 'Welcome mail', 'b'),
                      ('<sys-2@x>', 'no-reply@x', 'someone@else.example', 'Reset for someone else', 'b')`;
  const anonymous = await fetch(`${server.url}/dev/outbox`, { redirect: "manual" });
  assert.equal(anonymous.status, 303);
  assert.match(anonymous.headers.get("location") ?? "", /^\/login\?next=/);
  await anonymous.body?.cancel();
  const mine = await (await fetch(`${server.url}/dev/outbox`, { headers: { cookie: user.cookie } })).text();
  assert.match(mine, /Mine: hello/);
  assert.match(mine, /Welcome mail/);
  assert.doesNotMatch(mine, /Theirs: secret/);
  assert.doesNotMatch(mine, /someone else/);

  await server.close();
  server = await startTestServer({ MAIL_TRANSPORT: "mailgun", MAILGUN_API_KEY: "key-test" }, { sql: db.sql });
  const off = await fetch(`${server.url}/dev/outbox`, { headers: { cookie: user.cookie } });
  assert.equal(off.status, 404);
  await off.body?.cancel();
  await server.close();
});

/**
 * Bad input against every route of the job seeker's product, case by case: malformed JSON, wrong types,
 * unknown fields, bodies over 1 MiB, injection strings, NUL characters, hostile nesting, bad ids and
 * another user's ids. Whatever the input: a 4xx with the contract's JSON error (a page for page routes),
 * never a 5xx, and nothing written (row counts of every table before and after).
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { csrfTokenFor } from "@/web/csrf.ts";

const db = await useAppDatabase("fuzz_product");
const server = await startTestServer({}, { sql: db.sql });
const owner = await createUserWithToken(server.url);
const other = await createUserWithToken(server.url);
const adminHeaders = { authorization: `Bearer ${TEST_ENV.ROLEFERRY_ADMIN_TOKEN}` };

await api(server.url, "POST", "/api/admin/jobs/import", {
  headers: adminHeaders,
  body: {
    jobs: [{
      external_id: "fz-1",
      source: "t",
      title: "Engineer",
      company: { name: "Fz", domain: "fz.test" },
    }],
  },
});
const [job] = await db.sql`select id from jobs where external_id = 'fz-1'`;
const mine = await api(server.url, "POST", "/api/applications", {
  token: owner.token,
  body: { job_id: job.id },
});
const myApplication: number = mine.body.id;

/** Rows per table, to prove a rejected request wrote nothing (rate_limits counts rejected logins by design). */
async function snapshot(): Promise<Record<string, number>> {
  const tables = ["users", "sessions", "resumes", "job_preferences", "companies", "jobs", "applications"];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = (await db.sql`select count(*)::int as n from ${db.sql(t)}`)[0].n;
  const [app] = await db.sql`select status, notes, interview_dates, offer_details from applications
                             where id = ${myApplication}`;
  out.application_state = JSON.stringify(app).length;
  return out;
}

const INJECTIONS = [
  "'; drop table users; --",
  '" or "1"="1',
  "<script>alert(1)</script>",
  "${7*7}{{7*7}}",
  "../../etc/passwd",
  "\u202e\ud800 lone surrogate",
  "x".repeat(100_000),
];

type Body = string | unknown;
interface Case {
  name: string;
  /** "any": the substitution may happen to be valid (e.g. `skills: []`); still never a 5xx. */
  expect?: "reject" | "any";
  method: string;
  path: string;
  body?: Body;
  token?: string;
  headers?: Record<string, string>;
}

function bodyCases(method: string, path: string, valid: Record<string, unknown>, token?: string): Case[] {
  const base = { method, path, token };
  const cases: Case[] = [
    { ...base, name: "malformed JSON", body: '{"a": ' },
    { ...base, name: "not UTF-8", body: "\xff\xfe" },
    { ...base, name: "an array", body: [] },
    { ...base, name: "a string", body: '"hello"' },
    { ...base, name: "null", body: "null" },
    { ...base, name: "unknown field", body: { ...valid, is_admin: true } },
    { ...base, name: "over 1 MiB", body: { ...valid, padding: "x".repeat(1024 * 1024 + 10) } },
    { ...base, name: "deep nesting", body: "[".repeat(5000) + "]".repeat(5000) },
    { ...base, name: "prototype pollution", body: '{"__proto__": {"admin": true}, "constructor": {}}' },
  ];
  for (const [key, value] of Object.entries(valid)) {
    for (const wrong of [null, 12345, true, "text", [], {}, -1, 1e308, "\u0000", "\ud800", "a\udfffb"]) {
      if (JSON.stringify(wrong) === JSON.stringify(value)) continue;
      cases.push({
        ...base,
        name: `${key}=${JSON.stringify(wrong)}`,
        body: { ...valid, [key]: wrong },
        // NUL and lone surrogates cannot be stored: always refused (core/text_guard.ts)
        expect: typeof wrong === "string" && wrong !== "text" ? "reject" : "any",
      });
    }
    // CR, LF and TAB in a string: stored as text or refused, never a 5xx
    if (typeof value === "string") {
      for (const control of ["\r\n", "\n", "\r", "\t", "x\r\nSet-Cookie: a=b"]) {
        cases.push({
          ...base,
          name: `${key} with ${JSON.stringify(control)}`,
          body: { ...valid, [key]: value + control },
          expect: "any",
        });
      }
    }
    if (typeof value === "string") {
      for (const inj of INJECTIONS) {
        cases.push({ ...base, name: `${key} injection`, body: { ...valid, [key]: inj }, expect: "any" });
      }
    }
    if (Array.isArray(value)) {
      cases.push({ ...base, name: `${key} with NUL`, body: { ...valid, [key]: ["ok", "bad\u0000"] } });
      cases.push({
        ...base,
        name: `${key} with a lone surrogate`,
        body: { ...valid, [key]: ["ok", "\ud83d"] },
      });
      cases.push({ ...base, name: `${key} too long`, body: { ...valid, [key]: Array(2000).fill("x") } });
    }
  }
  return cases;
}

const CASES: Case[] = [
  ...bodyCases("POST", "/api/auth/signup", {
    email: "new@example.test",
    password: "a-long-password",
    full_name: "N",
  }),
  ...bodyCases("POST", "/api/auth/login", { email: owner.user.email, password: "wrong-password" }),
  ...bodyCases(
    "PUT",
    "/api/resume",
    { roles: ["r"], key_metrics: [], accomplishments: [], skills: ["Go"] },
    owner.token,
  ),
  ...bodyCases(
    "PUT",
    "/api/preferences",
    { role_types: ["full-time"], min_salary: 5, max_salary: 1 },
    owner.token,
  ),
  ...bodyCases("POST", "/api/applications", { job_id: job.id, status: "sideways" }, owner.token),
  ...bodyCases(
    "PATCH",
    `/api/applications/${myApplication}`,
    { status: "offer", interview_dates: "soon" },
    owner.token,
  ),
  ...bodyCases("POST", "/api/admin/jobs/import", { jobs: "all of them" }).map((c) => ({
    ...c,
    headers: adminHeaders,
  })),
  // queries
  ...[
    "q=%00",
    "limit=0",
    "limit=101",
    "limit=-1",
    "limit=abc",
    "comp_min=1e9",
    "remote=maybe",
    "posted_after=yesterday",
    "posted_after=0000-01-01",
    "company_id=0",
    "cursor=%27%20or%201=1",
    "cursor=WyIyMDI2LTAyLTMwIDAwOjAwOjAwKzAwIiwxXQ",
    "unknown=1",
    `q=${"x".repeat(300)}`,
    "limit=1&limit=2",
  ]
    .map((q) => ({
      name: `jobs ?${q.slice(0, 40)}`,
      method: "GET",
      path: `/api/jobs?${q}`,
      token: owner.token,
    })),
  ...["q=%00", `q=${"x".repeat(300)}`, "x=1"]
    .map((q) => ({
      name: `companies ?${q.slice(0, 20)}`,
      method: "GET",
      path: `/api/companies?${q}`,
      token: owner.token,
    })),
  ...["status=ghosted", "status=%00", "status=saved&status=applied"]
    .map((q) => ({
      name: `applications ?${q}`,
      method: "GET",
      path: `/api/applications?${q}`,
      token: owner.token,
    })),
  // ids that are not ids, and another user's
  ...[
    "0",
    "-1",
    "abc",
    "1.5",
    "2147483648",
    "99999999999999999999",
    "%00",
    "1%20or%201=1",
    String(job.id + 1000),
  ]
    .flatMap((id) => [
      { name: `job id ${id}`, method: "GET", path: `/api/jobs/${id}`, token: owner.token },
      { name: `application id ${id}`, method: "GET", path: `/api/applications/${id}`, token: owner.token },
      { name: `application id ${id}`, method: "DELETE", path: `/api/applications/${id}`, token: owner.token },
    ]),
  ...["GET", "PATCH", "DELETE"].map((method) => ({
    name: "another user's application",
    method,
    path: `/api/applications/${myApplication}`,
    token: other.token,
    body: method === "PATCH" ? { status: "rejected", notes: "mine now" } : undefined,
  })),
  // no or bad credentials on every signed-in route
  ...[
    "GET /api/me",
    "GET /api/resume",
    "PUT /api/resume",
    "GET /api/preferences",
    "PUT /api/preferences",
    "GET /api/jobs",
    `GET /api/jobs/${job.id}`,
    "GET /api/companies",
    "GET /api/applications",
    "POST /api/applications",
    `PATCH /api/applications/${myApplication}`,
    `DELETE /api/applications/${myApplication}`,
    "POST /api/auth/logout",
  ]
    .flatMap((line) => {
      const [method, path] = line.split(" ");
      return [
        { name: "anonymous", method, path, body: method === "GET" || method === "DELETE" ? undefined : {} },
        {
          name: "bad token",
          method,
          path,
          headers: { authorization: "Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
        },
        { name: "malformed auth", method, path, headers: { authorization: "Basic Zm9vOmJhcg==" } },
      ];
    }),
  {
    name: "import without admin token",
    method: "POST",
    path: "/api/admin/jobs/import",
    body: { jobs: [] },
    token: owner.token,
  },
];

Deno.test("[e2e] product routes - bad input is a 4xx JSON error that writes nothing; no input is a 5xx", async () => {
  const failures: string[] = [];
  let rejected = 0;
  for (const c of CASES) {
    const before = await snapshot();
    const res = await api(server.url, c.method, c.path, { body: c.body, token: c.token, headers: c.headers });
    const label = `${c.method} ${c.path.slice(0, 60)} (${c.name}) -> ${res.status}`;
    if (res.status >= 500) failures.push(label);
    else if (res.status >= 400) {
      rejected++;
      if (!/^application\/json/.test(res.type ?? "") || typeof res.body?.error?.message !== "string") {
        failures.push(`${label}: not the contract's JSON error`);
      }
      const after = await snapshot();
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        failures.push(`${label}: wrote ${JSON.stringify(after)}`);
      }
    } else if (c.expect !== "any") failures.push(`${label}: accepted`);
  }
  assert.deepEqual(failures, []);
  assert.ok(rejected > CASES.length * 0.8, `${rejected} of ${CASES.length} rejected`);
});

Deno.test("[e2e] product routes - bodies over 1 MiB are 413 with or without a Content-Length", async () => {
  const big = JSON.stringify({ skills: ["x"], raw_text: "y".repeat(1024 * 1024) });
  const declared = await api(server.url, "PUT", "/api/resume", { token: owner.token, body: big });
  assert.equal(declared.status, 413);
  assert.match(declared.type ?? "", /^application\/json/);
  assert.equal(declared.body.error.code, "payload_too_large");
  const chunked = await fetch(`${server.url}/api/resume`, {
    method: "PUT",
    headers: { authorization: `Bearer ${owner.token}`, "content-type": "application/json" },
    body: ReadableStream.from([new TextEncoder().encode(big)]),
  });
  assert.equal(chunked.status, 413);
  await chunked.body?.cancel();
});

Deno.test("[e2e] product pages - bad form posts and queries are 4xx pages and write nothing", async () => {
  const before = await snapshot();
  const csrf = await csrfTokenFor(owner.cookie.slice("rf_session=".length));
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const cases: { path: string; method: string; body?: string; type?: string; cookie?: string }[] = [
    {
      method: "POST",
      path: "/signup",
      body: form({ email: "a\u0000@x.test", password: "x".repeat(20), full_name: "x" }),
    },
    { method: "POST", path: "/signup", body: "{}", type: "application/json" },
    { method: "POST", path: "/login", body: form({ email: "x".repeat(5000), password: "p" }) },
    {
      method: "POST",
      path: "/settings",
      body: form({ _csrf: csrf, form: "resume", skills: "x".repeat(100) }),
      cookie: owner.cookie,
    },
    {
      method: "POST",
      path: "/settings",
      body: form({ _csrf: csrf, form: "preferences", min_salary: "-5" }),
      cookie: owner.cookie,
    },
    { method: "POST", path: "/settings", body: form({ form: "resume", skills: "Go" }), cookie: owner.cookie },
    {
      method: "POST",
      path: `/applications/${myApplication}`,
      body: form({ _csrf: csrf, action: "move", status: "nowhere" }),
      cookie: owner.cookie,
    },
    {
      method: "POST",
      path: `/applications/${myApplication}`,
      body: form({ _csrf: csrf, action: "add_interview", at: "never" }),
      cookie: owner.cookie,
    },
    {
      method: "POST",
      path: `/applications/${myApplication}`,
      body: form({ _csrf: csrf, action: "offer", currency: "euros" }),
      cookie: owner.cookie,
    },
    {
      method: "POST",
      path: `/applications/${myApplication}`,
      body: form({ action: "delete" }),
      cookie: other.cookie,
    },
    {
      method: "POST",
      path: `/jobs/${job.id + 1000}`,
      body: form({ _csrf: csrf, status: "saved" }),
      cookie: owner.cookie,
    },
    { method: "POST", path: "/jobs/abc", body: form({ _csrf: csrf }), cookie: owner.cookie },
    { method: "GET", path: "/jobs?limit=1000&comp_min=x&cursor=zz", cookie: owner.cookie },
    { method: "GET", path: "/jobs?q=%00", cookie: owner.cookie },
    { method: "GET", path: `/applications/${myApplication}`, cookie: other.cookie },
    { method: "GET", path: "/applications/0", cookie: owner.cookie },
  ];
  const failures: string[] = [];
  for (const c of cases) {
    const res = await fetch(server.url + c.path, {
      method: c.method,
      headers: {
        ...(c.body ? { "content-type": c.type ?? "application/x-www-form-urlencoded" } : {}),
        ...(c.cookie ? { cookie: c.cookie } : {}),
        origin: server.url,
      },
      body: c.body,
      redirect: "manual",
    });
    await res.body?.cancel();
    if (res.status < 400 || res.status >= 500) {
      failures.push(`${c.method} ${c.path.slice(0, 50)} -> ${res.status}`);
    }
  }
  assert.deepEqual(failures, []);
  assert.deepEqual(await snapshot(), before);
});

Deno.test("fuzz_product - teardown", async () => {
  await server.close();
  await db.drop();
});

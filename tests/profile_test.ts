import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";

const db = await useAppDatabase("profile");
const server = await startTestServer({}, { sql: db.sql });
const JSON_TYPE = /^application\/json/;

Deno.test("[e2e] GET /api/resume - empty until saved", async () => {
  const { token } = await createUserWithToken(server.url);
  const res = await api(server.url, "GET", "/api/resume", { token });
  assert.equal(res.status, 200);
  assert.match(res.type ?? "", JSON_TYPE);
  assert.deepEqual(res.body, {
    roles: [],
    key_metrics: [],
    accomplishments: [],
    skills: [],
    raw_text: null,
    updated_at: null,
  });
});

Deno.test("[e2e] PUT /api/resume - skills trimmed and de-duplicated case-insensitively", async () => {
  const { token } = await createUserWithToken(server.url);
  const res = await api(server.url, "PUT", "/api/resume", {
    token,
    body: {
      roles: ["Backend Engineer at Acme (2020-2024)"],
      key_metrics: ["Cut p99 latency by 40%"],
      accomplishments: ["Led the Postgres migration"],
      skills: [" Python", "python ", "K8s", "kubernetes", "  Go  "],
    },
  });
  assert.equal(res.status, 200);
  assert.match(res.type ?? "", JSON_TYPE);
  assert.deepEqual(res.body.skills, ["Python", "K8s", "Go"]);
  assert.deepEqual(res.body.roles, ["Backend Engineer at Acme (2020-2024)"]);
  assert.ok(res.body.updated_at);
  const again = await api(server.url, "GET", "/api/resume", { token });
  assert.deepEqual(again.body.skills, ["Python", "K8s", "Go"]);
});

Deno.test("[e2e] PUT /api/resume - without skills, the first list comes from raw_text", async () => {
  const { token } = await createUserWithToken(server.url);
  const res = await api(server.url, "PUT", "/api/resume", {
    token,
    body: { raw_text: "Seven years of TypeScript and React; Terraform on AWS; some Golang." },
  });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.skills, ["TypeScript", "React", "Terraform", "AWS", "Go"]);
  assert.equal(res.body.raw_text, "Seven years of TypeScript and React; Terraform on AWS; some Golang.");
});

Deno.test("[e2e] PUT /api/resume - bad values are 422 naming the field; nothing written", async () => {
  const { token, user } = await createUserWithToken(server.url);
  const res = await api(server.url, "PUT", "/api/resume", {
    token,
    body: { roles: "Engineer", skills: ["x".repeat(61)], extra: 1 },
  });
  assert.equal(res.status, 422);
  assert.match(res.type ?? "", JSON_TYPE);
  assert.deepEqual(Object.keys(res.body.error.fields).sort(), ["extra", "roles", "skills.0"]);
  const rows = await db.sql`select 1 from resumes where user_id = ${user.id}`;
  assert.equal(rows.length, 0);
});

Deno.test("[e2e] GET, PUT /api/preferences - defaults, validation, round trip", async () => {
  const { token, user } = await createUserWithToken(server.url);
  const defaults = await api(server.url, "GET", "/api/preferences", { token });
  assert.equal(defaults.status, 200);
  assert.match(defaults.type ?? "", JSON_TYPE);
  assert.deepEqual(defaults.body.role_types, ["full-time"]);
  assert.equal(defaults.body.remote_ok, true);

  const bad = await api(server.url, "PUT", "/api/preferences", {
    token,
    body: { role_types: ["gig"], company_sizes: ["huge"], remote_ok: "yes", hidden_companies: [0] },
  });
  assert.equal(bad.status, 422);
  assert.deepEqual(Object.keys(bad.body.error.fields).sort(), [
    "company_sizes.0",
    "hidden_companies.0",
    "remote_ok",
    "role_types.0",
  ]);
  const salary = await api(server.url, "PUT", "/api/preferences", {
    token,
    body: { min_salary: 200000, max_salary: 100000 },
  });
  assert.equal(salary.status, 422);
  assert.deepEqual(salary.body.error.fields, { max_salary: "must be at least min_salary" });
  assert.equal((await db.sql`select 1 from job_preferences where user_id = ${user.id}`).length, 0);

  const ok = await api(server.url, "PUT", "/api/preferences", {
    token,
    body: {
      role_types: ["full-time", "contract", "contract"],
      locations: ["Berlin", "Remote"],
      remote_ok: false,
      role_levels: ["senior", "staff"],
      company_sizes: ["51-200"],
      industries: ["Fintech"],
      skills: ["Rust", "rust"],
      min_salary: 100000,
      max_salary: 150000,
      needs_visa_sponsorship: true,
    },
  });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body.role_types, ["full-time", "contract"]);
  assert.deepEqual(ok.body.skills, ["Rust"]);
  assert.equal(ok.body.needs_visa_sponsorship, true);
  const read = await api(server.url, "GET", "/api/preferences", { token });
  assert.deepEqual(read.body, ok.body);
});

Deno.test("[e2e] PUT /api/resume - re-scores the user's applications", async () => {
  const { token } = await createUserWithToken(server.url);
  const imported = await api(server.url, "POST", "/api/admin/jobs/import", {
    headers: { authorization: `Bearer ${TEST_ENV.ROLEFERRY_ADMIN_TOKEN}` },
    body: {
      jobs: [{
        external_id: "rescore-1",
        source: "test",
        title: "Platform Engineer",
        description: "Kubernetes, Terraform and Go.",
        company: { name: "Initech", domain: "initech.test" },
        job_type: "contract",
      }],
    },
  });
  assert.equal(imported.body.inserted, 1);
  const [job] = await db.sql`select id from jobs where external_id = 'rescore-1'`;
  await api(server.url, "PUT", "/api/resume", { token, body: { skills: ["Go"] } });
  const created = await api(server.url, "POST", "/api/applications", { token, body: { job_id: job.id } });
  assert.equal(created.status, 201);
  // skills 35 * (0.8 * 1/3 + 0.2 * 1/1) = 16.33 of 35; role type contract, not full-time (the default while
  // no preferences are saved): 0 of 8 -> 16.33 / 43 = 38
  assert.equal(created.body.match_score, 38);
  await api(server.url, "PUT", "/api/resume", { token, body: { skills: ["Go", "k8s", "Terraform"] } });
  const after = await api(server.url, "GET", `/api/applications/${created.body.id}`, { token });
  assert.equal(after.body.match_score, 81); // 35 of 43
});

Deno.test("profile - teardown", async () => {
  await server.close();
  await db.drop();
});

import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { allowedMoves, canMove } from "@/core/application_schemas.ts";
import { refreshMatchScores } from "@/db/match_scores.ts";

const db = await useAppDatabase("applications");
const server = await startTestServer();
const JSON_TYPE = /^application\/json/;

const imported = await api(server.url, "POST", "/api/admin/jobs/import", {
  headers: { authorization: `Bearer ${TEST_ENV.ROLEFERRY_ADMIN_TOKEN}` },
  body: {
    jobs: [1, 2, 3].map((n) => ({
      external_id: `app-${n}`,
      source: "test",
      title: `Engineer ${n}`,
      description: "Python and SQL.",
      company: { name: `Company ${n}`, domain: `company${n}.test` },
    })),
  },
});
if (imported.body.inserted !== 3) throw new Error(`import failed: ${JSON.stringify(imported.body)}`);
const jobIds: number[] =
  (await db.sql`select id from jobs where external_id like 'app-%' order by external_id`)
    .map((r) => r.id);

Deno.test("allowedMoves - forward any steps, back one, to and from rejected", () => {
  assert.deepEqual(allowedMoves("saved"), ["applied", "interviewing", "offer", "rejected"]);
  assert.deepEqual(allowedMoves("interviewing"), ["applied", "offer", "rejected"]);
  assert.deepEqual(allowedMoves("offer"), ["interviewing", "rejected"]);
  assert.deepEqual(allowedMoves("rejected"), ["saved", "applied"]);
  assert.equal(canMove("offer", "saved"), false);
  assert.equal(canMove("applied", "applied"), true);
});

Deno.test("[e2e] POST /api/applications - 201 with the stored match score; 409 on a duplicate; 422 for an unknown job", async () => {
  const { token, user } = await createUserWithToken(server.url);
  await api(server.url, "PUT", "/api/resume", { token, body: { skills: ["Python"] } });
  const res = await api(server.url, "POST", "/api/applications", {
    token,
    body: { job_id: jobIds[0], status: "saved" },
  });
  assert.equal(res.status, 201);
  assert.match(res.type ?? "", JSON_TYPE);
  assert.equal(res.body.job_id, jobIds[0]);
  assert.equal(res.body.status, "saved");
  // skills 35 * (0.8 * 1/2 + 0.2 * 1/1) = 21, plus full-time (the default role type, no preferences saved)
  // 8 of 8: 29/43
  assert.equal(res.body.match_score, 67);
  assert.equal(res.body.job.title, "Engineer 1");
  assert.deepEqual(res.body.interview_dates, []);

  const dup = await api(server.url, "POST", "/api/applications", { token, body: { job_id: jobIds[0] } });
  assert.equal(dup.status, 409);
  assert.match(dup.type ?? "", JSON_TYPE);
  assert.equal(dup.body.error.fields.job_id, "already tracked");

  const unknown = await api(server.url, "POST", "/api/applications", { token, body: { job_id: 987654 } });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.body.error.fields.job_id, "no such job");
  const [{ count }] = await db
    .sql`select count(*)::int as count from applications where user_id = ${user.id}`;
  assert.equal(count, 1);

  const [view] = await refreshMatchScores(db.sql).then(() =>
    db.sql`select score, category from match_scores where user_id = ${user.id} and job_id = ${jobIds[0]}`
  );
  assert.deepEqual({ ...view }, { score: 67, category: "fair" });
});

Deno.test("[e2e] PATCH /api/applications/:id - moves along the pipeline and keeps notes, interviews, offer", async () => {
  const { token } = await createUserWithToken(server.url);
  const created = await api(server.url, "POST", "/api/applications", {
    token,
    body: { job_id: jobIds[1], status: "saved" },
  });
  const id = created.body.id;
  const applied = await api(server.url, "PATCH", `/api/applications/${id}`, {
    token,
    body: { status: "applied" },
  });
  assert.equal(applied.status, 200);
  assert.match(applied.type ?? "", JSON_TYPE);
  assert.equal(applied.body.status, "applied");
  assert.ok(new Date(applied.body.applied_at) >= new Date(created.body.applied_at));

  const back = await api(server.url, "PATCH", `/api/applications/${id}`, {
    token,
    body: { status: "offer" },
  });
  assert.equal(back.status, 200);
  const illegal = await api(server.url, "PATCH", `/api/applications/${id}`, {
    token,
    body: { status: "saved" },
  });
  assert.equal(illegal.status, 409);
  assert.match(illegal.type ?? "", JSON_TYPE);
  assert.equal(illegal.body.error.fields.status, "from offer you can move to interviewing, rejected");

  const details = await api(server.url, "PATCH", `/api/applications/${id}`, {
    token,
    body: {
      notes: "Great team <script>alert(1)</script>",
      interview_dates: [{ at: "2026-12-01T15:00:00Z", kind: "onsite" }],
      offer_details: { salary: 150000, currency: "EUR", deadline: "2026-12-15" },
    },
  });
  assert.equal(details.status, 200);
  assert.equal(details.body.notes, "Great team <script>alert(1)</script>");
  assert.deepEqual(details.body.interview_dates, [{ at: "2026-12-01T15:00:00Z", kind: "onsite" }]);
  assert.deepEqual(details.body.offer_details, { salary: 150000, currency: "EUR", deadline: "2026-12-15" });
  assert.equal(details.body.status, "offer");

  const empty = await api(server.url, "PATCH", `/api/applications/${id}`, { token, body: {} });
  assert.equal(empty.status, 422);
  const wrong = await api(server.url, "PATCH", `/api/applications/${id}`, {
    token,
    body: { interview_dates: [{ at: "tomorrow" }], offer_details: { currency: "euro" } },
  });
  assert.equal(wrong.status, 422);
  assert.deepEqual(Object.keys(wrong.body.error.fields).sort(), [
    "interview_dates.0.at",
    "offer_details.currency",
  ]);
});

Deno.test("[e2e] GET /api/applications - only the caller's own, filtered by status", async () => {
  const a = await createUserWithToken(server.url);
  const b = await createUserWithToken(server.url);
  await api(server.url, "POST", "/api/applications", {
    token: a.token,
    body: { job_id: jobIds[0], status: "saved" },
  });
  await api(server.url, "POST", "/api/applications", { token: a.token, body: { job_id: jobIds[1] } });
  await api(server.url, "POST", "/api/applications", { token: b.token, body: { job_id: jobIds[2] } });
  const all = await api(server.url, "GET", "/api/applications", { token: a.token });
  assert.equal(all.status, 200);
  assert.match(all.type ?? "", JSON_TYPE);
  assert.deepEqual(
    all.body.items.map((i: { job_id: number }) => i.job_id).sort(),
    [jobIds[0], jobIds[1]].sort(),
  );
  const saved = await api(server.url, "GET", "/api/applications?status=saved", { token: a.token });
  assert.deepEqual(saved.body.items.map((i: { job_id: number }) => i.job_id), [jobIds[0]]);
  const bad = await api(server.url, "GET", "/api/applications?status=ghosted", { token: a.token });
  assert.equal(bad.status, 422);
  assert.ok(bad.body.error.fields.status);
});

Deno.test("[e2e] GET, PATCH, DELETE /api/applications/:id - another user's application is a 404 and stays untouched", async () => {
  const owner = await createUserWithToken(server.url);
  const other = await createUserWithToken(server.url);
  const created = await api(server.url, "POST", "/api/applications", {
    token: owner.token,
    body: { job_id: jobIds[2], status: "applied" },
  });
  const id = created.body.id;
  for (
    const [method, body] of [["GET", undefined], ["PATCH", { status: "rejected" }], [
      "DELETE",
      undefined,
    ]] as const
  ) {
    const res = await api(server.url, method, `/api/applications/${id}`, { token: other.token, body });
    assert.equal(res.status, 404, method);
    assert.match(res.type ?? "", JSON_TYPE);
    assert.equal(res.body.error.code, "not_found");
  }
  const [row] = await db.sql`select status from applications where id = ${id}`;
  assert.equal(row.status, "applied");
  const gone = await api(server.url, "DELETE", `/api/applications/${id}`, { token: owner.token });
  assert.equal(gone.status, 204);
  const after = await api(server.url, "GET", `/api/applications/${id}`, { token: owner.token });
  assert.equal(after.status, 404);
  const anonymous = await api(server.url, "GET", "/api/applications");
  assert.equal(anonymous.status, 401);
});

Deno.test("applications - teardown", async () => {
  await server.close();
  await db.drop();
});

/**
 * Recruiter mode (issue 14) through the API: roles (imported jobs or private client roles), the candidate
 * pipeline with row-level security, "Recruiter Cold Intro" by default, and nothing of it for job seekers.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { withUser } from "@/db/client.ts";

const db = await useAppDatabase("recruiter");
const server = await startTestServer({}, { sql: db.sql });
const ADMIN = { authorization: `Bearer ${TEST_ENV.ROLEFERRY_ADMIN_TOKEN}` };

await api(server.url, "POST", "/api/admin/jobs/import", {
  headers: ADMIN,
  body: {
    jobs: [{
      external_id: "rec-1",
      source: "test",
      title: "Data Engineer",
      company: { name: "Public Co", domain: "public-co.test" },
    }],
  },
});
const [publicJob] = await db.sql`select id from jobs where external_id = 'rec-1'`;

Deno.test("[e2e] recruiter mode - job seekers see none of it (404)", async () => {
  const seeker = await createUserWithToken(server.url);
  assert.equal((await api(server.url, "GET", "/api/roles", { token: seeker.token })).status, 404);
  assert.equal(
    (await api(server.url, "POST", "/api/roles", { token: seeker.token, body: { job_id: publicJob.id } }))
      .status,
    404,
  );
  const page = await fetch(`${server.url}/roles`, { headers: { cookie: seeker.cookie }, redirect: "manual" });
  await page.body?.cancel();
  assert.equal(page.status, 404);
});

Deno.test("[e2e] recruiter mode - roles, a private client role, candidates, stages, the intro by default", async () => {
  const rec = await createUserWithToken(server.url, { mode: "recruiter", full_name: "Rita Recruiter" });
  const other = await createUserWithToken(server.url, { mode: "recruiter" });
  const seeker = await createUserWithToken(server.url);

  const imported = await api(server.url, "POST", "/api/roles", {
    token: rec.token,
    body: { job_id: publicJob.id },
  });
  assert.equal(imported.status, 201);
  assert.equal(imported.body.job.private, false);
  const dup = await api(server.url, "POST", "/api/roles", {
    token: rec.token,
    body: { job_id: publicJob.id },
  });
  assert.equal(dup.status, 409);

  const client = await api(server.url, "POST", "/api/roles", {
    token: rec.token,
    body: { title: "Head of Platform", company: { name: "Client Corp", domain: "Client-Corp.test" } },
  });
  assert.equal(client.status, 201);
  assert.equal(client.body.job.private, true);
  assert.equal(client.body.company.domain, "client-corp.test");
  assert.deepEqual(client.body.pipeline, {
    sourced: 0,
    contacted: 0,
    replied: 0,
    interviewing: 0,
    submitted: 0,
    hired: 0,
  });
  const bad = await api(server.url, "POST", "/api/roles", { token: rec.token, body: { title: "" } });
  assert.equal(bad.status, 422);

  // The private role's job is the recruiter's alone.
  const jobId = client.body.job.id;
  assert.equal((await api(server.url, "GET", `/api/jobs/${jobId}`, { token: seeker.token })).status, 404);
  const track = await api(server.url, "POST", "/api/applications", {
    token: seeker.token,
    body: { job_id: jobId },
  });
  assert.equal(track.status, 422, "a private role cannot be tracked by anyone else");
  const search = await api(server.url, "GET", "/api/jobs?q=Platform", { token: seeker.token });
  assert.equal(search.status, 200);
  assert.equal(search.body.items.some((j: { id: number }) => j.id === jobId), false);
  assert.equal(
    (await api(server.url, "GET", `/api/roles/${client.body.id}`, { token: other.token })).status,
    404,
  );

  const cand = await api(server.url, "POST", `/api/roles/${client.body.id}/candidates`, {
    token: rec.token,
    body: {
      full_name: "Pat Passive",
      email: "pat@current-employer.test",
      title: "SRE",
      company: { name: "Current Employer" },
    },
  });
  assert.equal(cand.status, 201);
  assert.equal(cand.body.stage, "sourced");
  assert.equal(cand.body.contact.company, "Current Employer");
  const badCand = await api(server.url, "POST", `/api/roles/${client.body.id}/candidates`, {
    token: rec.token,
    body: { full_name: "No Mail", email: "nope", company: { name: "X" } },
  });
  assert.equal(badCand.status, 422);

  const foreign = await api(server.url, "PATCH", `/api/roles/${client.body.id}/candidates/${cand.body.id}`, {
    token: other.token,
    body: { stage: "hired" },
  });
  assert.equal(foreign.status, 404);

  const reached = await api(
    server.url,
    "POST",
    `/api/roles/${client.body.id}/candidates/${cand.body.id}/outreach`,
    {
      token: rec.token,
      body: {},
    },
  );
  assert.equal(reached.status, 201, JSON.stringify(reached.body));
  assert.equal(reached.body.items.length, 2);
  assert.equal(reached.body.items[0].subject, "Head of Platform opportunity at Client Corp");
  assert.match(reached.body.items[0].body, /^Hi Pat,/);
  assert.match(reached.body.items[0].body, /Rita Recruiter$/);
  const [seq] = await db
    .sql`select distinct t.name from outreach o join sequence_templates t on t.id = o.sequence_template_id
    where o.application_id = ${client.body.id}`;
  assert.equal(seq.name, "Recruiter Cold Intro");

  // Sent: the candidate shows as contacted; the recruiter moves them on by hand.
  await db
    .sql`update outreach set status = 'sent', sent_at = now() where application_id = ${client.body.id} and step_no = 1`;
  const role = await api(server.url, "GET", `/api/roles/${client.body.id}`, { token: rec.token });
  assert.equal(role.body.candidates[0].stage, "contacted");
  assert.equal(role.body.pipeline.contacted, 1);
  const moved = await api(server.url, "PATCH", `/api/roles/${client.body.id}/candidates/${cand.body.id}`, {
    token: rec.token,
    body: { stage: "interviewing" },
  });
  assert.equal(moved.status, 200);
  assert.equal(moved.body.stage, "interviewing");
  const badStage = await api(server.url, "PATCH", `/api/roles/${client.body.id}/candidates/${cand.body.id}`, {
    token: rec.token,
    body: { stage: "offer" },
  });
  assert.equal(badStage.status, 422);

  const list = await api(server.url, "GET", "/api/roles", { token: rec.token });
  assert.deepEqual(list.body.items.map((r: { job: { title: string } }) => r.job.title), [
    "Head of Platform",
    "Data Engineer",
  ]);
  assert.equal((await api(server.url, "GET", "/api/roles", { token: other.token })).body.items.length, 0);
});

Deno.test("role_candidates - RLS: a user cannot read others' rows or hang a candidate on another user's role", async () => {
  const a = await createUserWithToken(server.url, { mode: "recruiter" });
  const b = await createUserWithToken(server.url, { mode: "recruiter" });
  const role = await api(server.url, "POST", "/api/roles", {
    token: a.token,
    body: { title: "Private", company: { name: "Rls Co" } },
  });
  const cand = await api(server.url, "POST", `/api/roles/${role.body.id}/candidates`, {
    token: a.token,
    body: { full_name: "Ann", email: "ann@rls-cand.test", company: { name: "Else" } },
  });
  const seen = await withUser(db.sql, b.user.id, (tx) => tx`select id from role_candidates`);
  assert.equal(seen.length, 0);
  await assert.rejects(
    withUser(db.sql, b.user.id, (tx) =>
      tx`insert into role_candidates (user_id, application_id, contact_id)
         values (${b.user.id}, ${role.body.id}, ${cand.body.contact.id})`),
    /row-level security/,
  );
  // B cannot make A's private client job a role of theirs.
  const steal = await api(server.url, "POST", "/api/roles", {
    token: b.token,
    body: { job_id: role.body.job.id },
  });
  assert.equal(steal.status, 422);
});

/** [e2e] The operations endpoints: run a job now, the stats overview, the Prometheus metrics. */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { api, startTestServer, TEST_ENV } from "@/tests/helpers/server.ts";

const db = await useAppDatabase("ops_admin");
const server = await startTestServer({}, { sql: db.sql });
const token = TEST_ENV.ROLEFERRY_ADMIN_TOKEN;

Deno.test("[e2e] POST /api/admin/cron/:name - runs the job now and answers its result", async () => {
  const res = await api(server.url, "POST", "/api/admin/cron/maintain-partitions", { token });
  assert.equal(res.status, 200);
  assert.match(res.type ?? "", /^application\/json/);
  assert.equal(res.body.name, "maintain-partitions");
  assert.deepEqual(res.body.result, { rows: 0, created: [], rows_moved: 0 });
  assert.equal(res.body.run.outcome, "ok");
  const [row] = await db.sql`
    select trigger, outcome from job_runs where job = 'maintain-partitions' order by started_at desc limit 1`;
  assert.deepEqual(row, { trigger: "manual", outcome: "ok" });

  const health = await api(server.url, "POST", "/api/admin/cron/calculate-health", { token });
  assert.equal(health.status, 200);
  assert.match(health.type ?? "", /^application\/json/);
  assert.deepEqual(health.body.result, { rows: 0, mailboxes: 0 });
});

Deno.test("[e2e] POST /api/admin/cron/:name - unknown job 404 naming the jobs, no token 401, while running 409", async () => {
  const unknown = await api(server.url, "POST", "/api/admin/cron/drop-everything", { token });
  assert.equal(unknown.status, 404);
  assert.match(unknown.type ?? "", /^application\/json/);
  assert.equal(unknown.body.error.code, "unknown_job");
  assert.match(unknown.body.error.message, /reset-mailboxes/);

  const anonymous = await api(server.url, "POST", "/api/admin/cron/calculate-health");
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.type ?? "", /^application\/json/);
  assert.equal(anonymous.body.error.code, "unauthorized");

  // a run of expire-jobs in progress (another process): the manual run is refused and nothing runs
  await db
    .sql`insert into job_runs (job, tick, trigger, instance) values ('expire-jobs', now(), 'cron', 'elsewhere')`;
  const busy = await api(server.url, "POST", "/api/admin/cron/expire-jobs", { token });
  assert.equal(busy.status, 409);
  assert.match(busy.type ?? "", /^application\/json/);
  assert.equal(busy.body.error.code, "job_running");
  const [{ runs }] = await db.sql`select count(*)::int as runs from job_runs where job = 'expire-jobs'`;
  assert.equal(runs, 1);
});

Deno.test("[e2e] GET /api/admin/stats - statements, connections, queue, mailboxes, jobs, partitions", async () => {
  const res = await api(server.url, "GET", "/api/admin/stats", { token });
  assert.equal(res.status, 200);
  assert.match(res.type ?? "", /^application\/json/);
  const body = res.body;
  assert.equal(body.slowest_statements.available, true, JSON.stringify(body.slowest_statements));
  assert.ok(Array.isArray(body.slowest_statements.items));
  assert.ok(
    body.connections.some((c: { state: string; count: number }) => c.state === "active" && c.count >= 1),
  );
  assert.deepEqual(Object.keys(body.outreach_queue).sort(), [
    "due",
    "failed_24h",
    "scheduled",
    "sending",
    "sent_24h",
  ]);
  assert.ok(Array.isArray(body.mailboxes));
  assert.ok(body.jobs.some((j: { job: string }) => j.job === "maintain-partitions"));
  assert.equal(body.partitions.at(-1).name, "outreach_default");
  assert.ok(body.partitions.length >= 5);

  const anonymous = await api(server.url, "GET", "/api/admin/stats");
  assert.equal(anonymous.status, 401);
});

Deno.test("[e2e] GET /metrics - Prometheus text with requests by route and status, latency and job runs", async () => {
  await api(server.url, "GET", "/healthz");
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const text = await res.text();
  assert.match(
    text,
    /^roleferry_http_requests_total\{route="\/healthz",method="GET",status="200"\} [1-9]\d*$/m,
  );
  assert.match(
    text,
    /^roleferry_http_request_duration_seconds_bucket\{route="\/healthz",method="GET",le="\+Inf"\} \d+$/m,
  );
  assert.match(text, /^roleferry_job_runs_total\{job="maintain-partitions",outcome="ok"\} 1$/m);
  assert.match(text, /^roleferry_job_runs_total\{job="expire-jobs",outcome="skipped"\} 1$/m);

  const anonymous = await fetch(`${server.url}/metrics`);
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
});

Deno.test.afterAll(async () => {
  await server.close();
  await db.drop();
});

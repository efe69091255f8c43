import assert from "node:assert/strict";
import { createMetrics } from "./metrics.ts";

function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

Deno.test("recordRequest - counts by route, method and status with a cumulative latency histogram", () => {
  const { recordRequest, render: renderMetrics } = createMetrics();
  recordRequest("/api/t/:id", "GET", 200, 3);
  recordRequest("/api/t/:id", "GET", 200, 40);
  recordRequest("/api/t/:id", "GET", 404, 700);
  const text = renderMetrics();
  assert.equal(
    sample(text, 'roleferry_http_requests_total{route="/api/t/:id",method="GET",status="200"}'),
    2,
  );
  assert.equal(
    sample(text, 'roleferry_http_requests_total{route="/api/t/:id",method="GET",status="404"}'),
    1,
  );
  const h = "roleferry_http_request_duration_seconds";
  assert.equal(sample(text, `${h}_bucket{route="/api/t/:id",method="GET",le="0.005"}`), 1);
  assert.equal(sample(text, `${h}_bucket{route="/api/t/:id",method="GET",le="0.05"}`), 2);
  assert.equal(sample(text, `${h}_bucket{route="/api/t/:id",method="GET",le="1"}`), 3);
  assert.equal(sample(text, `${h}_bucket{route="/api/t/:id",method="GET",le="+Inf"}`), 3);
  assert.equal(sample(text, `${h}_count{route="/api/t/:id",method="GET"}`), 3);
  assert.equal(sample(text, `${h}_sum{route="/api/t/:id",method="GET"}`), 0.743);
  assert.match(text, /# TYPE roleferry_http_request_duration_seconds histogram/);
});

Deno.test("recordJobRun and recordEmail - count runs, rows and emails; labels are escaped", () => {
  const { recordJobRun, recordEmail, render: renderMetrics } = createMetrics();
  recordJobRun('job-"x"', "ok", 20, 7);
  recordJobRun('job-"x"', "skipped", 0);
  recordEmail("sent", 3);
  recordEmail("failed");
  const text = renderMetrics();
  assert.equal(sample(text, 'roleferry_job_runs_total{job="job-\\"x\\"",outcome="ok"}'), 1);
  assert.equal(sample(text, 'roleferry_job_runs_total{job="job-\\"x\\"",outcome="skipped"}'), 1);
  assert.equal(sample(text, 'roleferry_job_rows_total{job="job-\\"x\\""}'), 7);
  assert.equal(sample(text, 'roleferry_emails_total{outcome="sent"}'), 3);
  assert.equal(sample(text, 'roleferry_emails_total{outcome="failed"}'), 1);
  assert.ok(text.endsWith("\n"));
});

Deno.test("createMetrics - each registry counts on its own; uptime from its creation", () => {
  let now = 1_000;
  const a = createMetrics(() => now);
  const b = createMetrics(() => now);
  a.recordEmail("sent", 2);
  now += 1_500;
  assert.equal(sample(a.render(), 'roleferry_emails_total{outcome="sent"}'), 2);
  assert.equal(sample(b.render(), 'roleferry_emails_total{outcome="sent"}'), undefined);
  assert.equal(sample(b.render(), "roleferry_process_uptime_seconds"), 1.5);
});

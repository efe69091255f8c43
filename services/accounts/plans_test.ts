import assert from "node:assert/strict";
import { planLimitError, unverifiedError } from "./plans.ts";

const FREE = {
  tier: "free" as const,
  emails_per_month: 200,
  live_sequences: 5,
  contacts_per_import: 100,
  daily_sends: 50,
  daily_enrollments: 50,
};

Deno.test("planLimitError - 402 naming the limit, its value and the plan", () => {
  const error = planLimitError("live_sequences", FREE);
  assert.equal(error.status, 402);
  assert.equal(error.code, "plan_limit");
  assert.deepEqual(error.fields, { live_sequences: "limit 5 on the free plan" });
  assert.match(error.message, /free plan allows 5 live sequences/);
});

Deno.test("unverifiedError - 403 saying how to get a new link", () => {
  const error = unverifiedError();
  assert.equal(error.status, 403);
  assert.equal(error.code, "email_unverified");
  assert.match(error.message, /verify\/resend/);
});

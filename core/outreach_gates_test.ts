import assert from "node:assert/strict";
import { earlierStepGate, followUpMailboxGate, type GateRow } from "./outreach_gates.ts";

const now = new Date("2026-11-30T10:00:00Z");
const row = (extra: Partial<GateRow>): GateRow => ({
  step_no: 2,
  send_started_at: null,
  earlier_state: null,
  earlier_due_at: null,
  hold_reason: null,
  held_since: null,
  ...extra,
});

Deno.test("earlierStepGate - step 1 and sent earlier steps pass; failed cancels; pending holds past its due time", () => {
  assert.equal(earlierStepGate(row({ step_no: 1, earlier_state: "pending" }), now), undefined);
  assert.equal(earlierStepGate(row({}), now), undefined);
  assert.equal(earlierStepGate(row({ earlier_state: "failed" }), now)?.action, "cancel");
  const later = new Date("2026-11-30T12:00:00Z");
  assert.deepEqual(earlierStepGate(row({ earlier_state: "pending", earlier_due_at: later }), now), {
    action: "hold",
    until: new Date("2026-11-30T12:01:00Z"),
    reason: "earlier_step",
  });
  assert.equal(
    earlierStepGate(row({ earlier_state: "failed", send_started_at: now }), now),
    undefined,
    "a maybe-sent row is reconciled, not gated",
  );
});

Deno.test("followUpMailboxGate - waits for step 1's mailbox, then fails with a reason past the limit", () => {
  const day = 86_400_000;
  assert.equal(followUpMailboxGate(row({}), "a@mb.example", 3 * day, 60_000, now).action, "hold");
  const waiting = row({ hold_reason: "follow_up_mailbox", held_since: new Date(now.getTime() - 2 * day) });
  assert.equal(followUpMailboxGate(waiting, "a@mb.example", 3 * day, 60_000, now).action, "hold");
  const tooLong = row({ hold_reason: "follow_up_mailbox", held_since: new Date(now.getTime() - 3 * day) });
  const gate = followUpMailboxGate(tooLong, "a@mb.example", 3 * day, 60_000, now);
  assert.equal(gate.action, "fail");
  assert.match((gate as { reason: string }).reason, /a@mb\.example could not send for 72 h/);
  const otherReason = row({ hold_reason: "earlier_step", held_since: new Date(now.getTime() - 9 * day) });
  assert.equal(followUpMailboxGate(otherReason, null, 3 * day, 60_000, now).action, "hold", "a new wait");
});

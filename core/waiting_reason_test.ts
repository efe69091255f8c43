import assert from "node:assert/strict";
import { nextUtcMidnight, type SendingState, waitingFor, type WaitingRow } from "./waiting_reason.ts";

// Wednesday 2026-12-02 20:00 UTC: 15:00 in New York (inside the window), 21:00 in Berlin (outside).
const now = new Date("2026-12-02T20:00:00Z");
const row = (over: Partial<WaitingRow> = {}): WaitingRow => ({
  status: "queued",
  due_at: new Date(now.getTime() - 60_000),
  paused_at: null,
  send_window: false,
  sending: false,
  ...over,
});
const state = (over: Partial<SendingState> = {}): SendingState => ({
  mailboxes: 2,
  usable: 2,
  available: 2,
  timezone: "UTC",
  now,
  ...over,
});

Deno.test("waitingFor - a due row with a free mailbox waits for nothing and goes at the next minute", () => {
  assert.deepEqual(waitingFor(row(), state()), {
    waiting_reason: null,
    expected_at: new Date("2026-12-02T20:01:00Z"),
  });
  const later = new Date("2026-12-05T10:00:00Z");
  assert.deepEqual(waitingFor(row({ due_at: later }), state()), { waiting_reason: null, expected_at: later });
});

Deno.test("waitingFor - rows not queued, or being sent, have no reason and no expected time", () => {
  for (const status of ["sent", "canceled", "failed", "replied"]) {
    assert.deepEqual(waitingFor(row({ status }), state({ mailboxes: 0 })), {
      waiting_reason: null,
      expected_at: null,
    });
  }
  assert.equal(waitingFor(row({ sending: true }), state({ mailboxes: 0 })).waiting_reason, null);
});

Deno.test("waitingFor - no mailbox, every mailbox paused: nobody knows when", () => {
  assert.deepEqual(waitingFor(row(), state({ mailboxes: 0, usable: 0, available: 0 })), {
    waiting_reason: "no_mailbox",
    expected_at: null,
  });
  assert.deepEqual(waitingFor(row(), state({ usable: 0, available: 0 })), {
    waiting_reason: "mailbox_paused",
    expected_at: null,
  });
});

Deno.test("waitingFor - every mailbox at its cap: 00:00 UTC, unless the row is due after that anyway", () => {
  assert.deepEqual(waitingFor(row(), state({ available: 0 })), {
    waiting_reason: "mailbox_cap",
    expected_at: new Date("2026-12-03T00:00:00Z"),
  });
  assert.equal(nextUtcMidnight(now).toISOString(), "2026-12-03T00:00:00.000Z");
  const tomorrowNoon = new Date("2026-12-03T12:00:00Z");
  assert.deepEqual(waitingFor(row({ due_at: tomorrowNoon }), state({ available: 0 })), {
    waiting_reason: null,
    expected_at: tomorrowNoon,
  });
  // capped, and the window opens later than midnight: the window's opening
  assert.deepEqual(
    waitingFor(row({ send_window: true }), state({ available: 0, timezone: "Europe/Berlin" })),
    {
      waiting_reason: "mailbox_cap",
      expected_at: new Date("2026-12-03T07:00:00Z"),
    },
  );
});

Deno.test("waitingFor - outside the send window in the sender's time zone: the next opening", () => {
  assert.deepEqual(waitingFor(row({ send_window: true }), state({ timezone: "Europe/Berlin" })), {
    waiting_reason: "send_window",
    expected_at: new Date("2026-12-03T07:00:00Z"), // Thursday 08:00 in Berlin
  });
  // 15:00 in New York is inside the window
  assert.equal(
    waitingFor(row({ send_window: true }), state({ timezone: "America/New_York" })).waiting_reason,
    null,
  );
});

Deno.test("waitingFor - a paused sequence wins over every other reason", () => {
  assert.deepEqual(waitingFor(row({ paused_at: now }), state({ mailboxes: 0, usable: 0, available: 0 })), {
    waiting_reason: "sequence_paused",
    expected_at: null,
  });
});

Deno.test("waitingFor - a rule added to the list is consulted in its place", () => {
  const earlier = () => ({ waiting_reason: "earlier_step" as const, expected_at: null });
  assert.equal(waitingFor(row(), state(), [earlier]).waiting_reason, "earlier_step");
});

Deno.test("waitingFor - real-mail holds: an earlier step, step 1's mailbox, an auto-reply delay until it ends", () => {
  const later = new Date("2026-12-08T09:00:00Z");
  assert.deepEqual(waitingFor(row({ hold_reason: "auto_reply_delay", due_at: later }), state()), {
    waiting_reason: "auto_reply_delay",
    expected_at: later,
  });
  assert.equal(
    waitingFor(row({ hold_reason: "auto_reply_delay" }), state()).waiting_reason,
    null,
    "a delay that has run out holds nothing",
  );
  assert.deepEqual(waitingFor(row({ hold_reason: "follow_up_mailbox" }), state()), {
    waiting_reason: "follow_up_mailbox",
    expected_at: null,
  });
  assert.equal(
    waitingFor(row({ hold_reason: "earlier_step", due_at: later }), state()).waiting_reason,
    "earlier_step",
  );
  assert.equal(
    waitingFor(row({ hold_reason: "earlier_step", paused_at: now }), state()).waiting_reason,
    "sequence_paused",
  );
});

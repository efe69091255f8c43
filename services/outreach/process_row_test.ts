/**
 * One row's steps against a store that records every call (no database): which write each outcome leads
 * to, and under which owner (the claim before the attempt, the attempt after it).
 */
import assert from "node:assert/strict";
import type { ClaimedOutreach, SendingMark, SentMark } from "@/db/outreach_dispatch.ts";
import type { LookupOutcome, SendOutcome, Transport } from "@/core/mail/types.ts";
import { systemClock } from "@/core/clock.ts";
import { Batch } from "./batch.ts";
import { GroupCommit } from "./group_commit.ts";
import { MailboxPool } from "./mailbox_pool.ts";
import { SendSlots } from "./send_slots.ts";
import { dispatchSettings, emptyResult } from "./options.ts";
import { processRow, type RowRun } from "./process_row.ts";
import type { DispatchStore } from "./store.ts";
import { claimedRow, reservedMailbox } from "@/tests/helpers/dispatch_rows.ts";

const MAILBOX = reservedMailbox(3);

const ROW = claimedRow(1, { contact_email: "c@people.example" });

/** A store that answers yes to everything, has one mailbox unit, and records each call by name. */
function recordingStore() {
  const calls: { name: string; args: unknown[] }[] = [];
  const answers: Record<string, (...args: never[]) => unknown> = {
    markSending: (marks: unknown[]) => marks.map(() => true),
    markSent: (marks: unknown[]) => marks.map(() => true),
    reserveUnitsSpread: () => [{ ...MAILBOX, units: 1 }],
    reserveUnits: () => [MAILBOX],
    reserveMailbox: () => MAILBOX,
    hasCapacity: () => true,
    recordFailure: () => false,
    claim: () => [],
  };
  const store = new Proxy({} as DispatchStore, {
    get: (_target, name: string) => (...args: never[]) => {
      calls.push({ name, args });
      return Promise.resolve(answers[name] ? answers[name](...args) : true);
    },
  });
  return { store, calls, named: (name: string) => calls.filter((c) => c.name === name).map((c) => c.args) };
}

function runWith(store: DispatchStore, transport: Transport): RowRun {
  return {
    store,
    transport,
    clock: systemClock,
    settings: dispatchSettings({ recoveryGraceMs: 60_000 }),
    baseUrl: "http://app.example",
    pool: new MailboxPool(store, () => 1, { multiUnit: true }),
    sendSlots: new SendSlots(1),
    attempts: new GroupCommit((marks: SendingMark[]) => store.markSending(marks)),
    sentOutcomes: new GroupCommit((marks: SentMark[]) => store.markSent(marks)),
    result: emptyResult(),
    capacityGone: () => {},
  };
}

function transport(canLookUp: boolean, lookup: LookupOutcome, send?: SendOutcome): Transport {
  return {
    name: canLookUp ? "mailgun" : "smtp",
    canLookUp,
    lookup: () => Promise.resolve(lookup),
    send: () => Promise.resolve(send ?? { kind: "sent", messageId: "<m@mb.example>" }),
  };
}

const maybeSent = (ageMs: number) =>
  ({ ...ROW, send_started_at: new Date(Date.now() - ageMs), attempt_mailbox: MAILBOX }) as ClaimedOutreach;

Deno.test("processRow - where no lookup can tell (SMTP), a maybe-sent row past the grace fails, never resent", async () => {
  const { store, named } = recordingStore();
  const run = runWith(store, transport(false, { kind: "unknown", error: "no log" }));
  const owner = { claimId: "c-1" };
  await processRow(run, maybeSent(120_000), new Batch(owner, [], store));
  assert.equal(run.result.failed, 1);
  const [[, failedOwner, reason]] = named("fail");
  assert.deepEqual(failedOwner, owner, "under the claim");
  assert.match(String(reason), /send outcome unknown after a crash \(no log\); not resent/);
  assert.equal(named("markSending").length, 0);
});

Deno.test("processRow - a lookup that failed for now holds the row under its claim, whatever its age", async () => {
  const { store, named } = recordingStore();
  const run = runWith(store, transport(true, { kind: "unknown", error: "events API down" }));
  const owner = { claimId: "c-2" };
  await processRow(run, maybeSent(120_000), new Batch(owner, [], store));
  assert.equal(run.result.deferred, 1);
  const [[, heldOwner, until, error]] = named("holdUncertain");
  assert.deepEqual(heldOwner, owner);
  assert.equal(error, "events API down");
  assert.ok((until as Date).getTime() > Date.now(), "held into the future");
});

Deno.test("processRow - a temporary refusal gives the unit back and reschedules under the attempt", async () => {
  const { store, named } = recordingStore();
  const run = runWith(
    store,
    transport(true, { kind: "absent" }, { kind: "temporary", error: "503", status: 503 }),
  );
  const owner = { claimId: "c-3" };
  const batch = new Batch(owner, [ROW], store);
  await processRow(run, ROW, batch);
  assert.equal(run.result.retried, 1);
  assert.deepEqual(named("releaseUnits").filter(([units]) => (units as unknown[]).length), [[[MAILBOX]]]);
  assert.equal(named("recordFailure").length, 1, "a 503 counts against the mailbox");
  const [[, attemptOwner, due, error, options]] = named("reschedule");
  const [[marks]] = named("markSending") as [[{ attemptId: string; owner: unknown }[]]];
  assert.deepEqual(marks[0].owner, owner, "the attempt is recorded under the claim");
  assert.deepEqual(attemptOwner, { attemptId: marks[0].attemptId }, "the outcome under the attempt");
  assert.ok(
    (due as Date).getTime() >= Date.now() + 40_000,
    "backoff after the first attempt: about a minute",
  );
  assert.equal(error, "503");
  assert.deepEqual(options, { clearAttempt: true });
});

Deno.test("processRow - a send goes out with the opt-out line and its outcome joins the batch", async () => {
  const { store, named } = recordingStore();
  let text = "";
  const t = transport(true, { kind: "absent" });
  const run = runWith(store, { ...t, send: (m) => ((text = m.text), t.send(m)) });
  const batch = new Batch({ claimId: "c-4" }, [ROW], store);
  await processRow(run, ROW, batch);
  assert.equal(run.result.sent, 1);
  assert.match(text, /Unsubscribe with one click: http:\/\/app\.example\/unsubscribe\/u1/);
  assert.equal(batch.outcomes.length, 1);
  await Promise.all(batch.outcomes);
  assert.equal(named("markSent").length, 1);
});

Deno.test("processRow - a message whose mailbox was paused while it waited for a slot is not sent, and goes back", async () => {
  const { store, named } = recordingStore();
  const t = transport(true, { kind: "absent" });
  let sends = 0;
  const run = runWith(store, { ...t, send: (m) => (sends++, t.send(m)) });
  const held = await run.sendSlots.acquire();
  const batch = new Batch({ claimId: "c-5" }, [ROW], store);
  const done = processRow(run, ROW, batch);
  await new Promise((r) => setTimeout(r, 20)); // unit taken, attempt recorded, waiting for the slot
  assert.equal(named("markSending").length, 1);
  await run.pool.drop(MAILBOX.id);
  held();
  await done;
  assert.equal(sends, 0, "never sent through the paused mailbox");
  assert.equal(run.result.deferred, 1);
  assert.deepEqual(named("releaseUnits").filter(([units]) => (units as unknown[]).length), [[[MAILBOX]]]);
  const [[, owner, due, , options]] = named("reschedule") as [[unknown, object, unknown, unknown, unknown]];
  assert.ok("attemptId" in owner, "under the attempt");
  assert.equal(due, null, "due as it was");
  assert.deepEqual(options, { clearAttempt: true });
});

/**
 * The Dispatcher's modes and transitions against an in-memory store and transport (no database): the
 * database-backed behaviour is covered by tests/dispatch_*_test.ts.
 */
import assert from "node:assert/strict";
import type { ClaimedOutreach, RowKey } from "@/db/outreach_dispatch.ts";
import type { OutgoingMessage, SendOutcome, Transport } from "@/core/mail/types.ts";
import { systemClock } from "@/core/clock.ts";
import { Dispatcher } from "./dispatcher.ts";
import type { DispatchStore } from "./store.ts";
import { claimedRow, reservedMailbox } from "@/tests/helpers/dispatch_rows.ts";

const row = claimedRow;
const MAILBOX = reservedMailbox(7);

/** Due rows in memory; `capacity` units for the whole run. Records what the dispatcher wrote. */
function memoryStore(due: ClaimedOutreach[], capacity: number) {
  const queue = [...due];
  const log = { claims: 0, sent: [] as number[], released: [] as number[], recovered: [] as number[] };
  let units = capacity;
  const take = (n: number) => {
    const got = Math.min(n, units);
    units -= got;
    return got;
  };
  const store: DispatchStore = {
    claim: (_owner, limit, _lease, { maybeSentOnly }) => {
      log.claims++;
      const picked = queue.filter((r) => !maybeSentOnly || r.send_started_at).slice(0, limit);
      for (const r of picked) queue.splice(queue.indexOf(r), 1);
      return Promise.resolve(picked);
    },
    releaseClaims: (rows: RowKey[]) => (log.released.push(...rows.map((r) => r.id)), Promise.resolve()),
    markSending: (marks) => Promise.resolve(marks.map(() => true)),
    markSent: (
      marks,
    ) => (log.sent.push(...marks.map((m) => m.row.id)), Promise.resolve(marks.map(() => true))),
    markRecoveredSent: (r) => (log.recovered.push(r.id), Promise.resolve(true)),
    cancelBlocked: () => Promise.resolve(true),
    cancel: () => Promise.resolve(true),
    hold: () => Promise.resolve(true),
    holdUncertain: () => Promise.resolve(),
    reschedule: () => Promise.resolve(true),
    fail: () => Promise.resolve(),
    hasCapacity: () => Promise.resolve(units > 0),
    reserveUnits: (count) => Promise.resolve(Array.from({ length: take(count) }, () => MAILBOX)),
    reserveUnitsSpread: (count) => {
      const got = take(count);
      return Promise.resolve(got ? [{ ...MAILBOX, units: got }] : []);
    },
    reserveMailbox: () => Promise.resolve(take(1) ? MAILBOX : undefined),
    releaseUnits: (given) => ((units += given.length), Promise.resolve()),
    recordSuccess: () => Promise.resolve(),
    recordFailure: () => Promise.resolve(false),
  };
  return { store, log, unitsLeft: () => units };
}

function memoryTransport(found: Record<string, string> = {}) {
  const sent: OutgoingMessage[] = [];
  const transport: Transport = {
    name: "outbox",
    canLookUp: true,
    send: (message): Promise<SendOutcome> => {
      sent.push(message);
      return Promise.resolve({ kind: "sent", messageId: message.messageId! });
    },
    lookup: (token) =>
      Promise.resolve(found[token] ? { kind: "found", messageId: found[token] } : { kind: "absent" }),
  };
  return { transport, sent };
}

const deps = (store: DispatchStore, transport: Transport) => ({
  store,
  transport,
  clock: systemClock,
  baseUrl: "http://app.example",
});

Deno.test("Dispatcher - sends every due row once over several batches, then ends DONE", async () => {
  const { store, log, unitsLeft } = memoryStore(Array.from({ length: 25 }, (_, i) => row(i + 1)), 100);
  const { transport, sent } = memoryTransport();
  const dispatcher = new Dispatcher(deps(store, transport), { batchSize: 10, concurrency: 4 });
  assert.equal(dispatcher.mode, "RUNNING");
  const result = await dispatcher.run();
  assert.equal(dispatcher.mode, "DONE");
  assert.equal(result.sent, 25);
  assert.equal(result.claimed, 25);
  assert.equal(result.batches, 3);
  assert.equal(result.no_capacity, false);
  assert.deepEqual([...log.sent].sort((a, b) => a - b), Array.from({ length: 25 }, (_, i) => i + 1));
  assert.equal(new Set(sent.map((m) => m.token)).size, 25, "each row sent once");
  assert.ok(sent.every((m) => m.text.includes("http://app.example/unsubscribe/u")), "the opt-out line");
  assert.equal(unitsLeft(), 75, "units not handed out went back when the run closed");
});

Deno.test("Dispatcher - out of capacity: rows that need a unit go back with their batch", async () => {
  const { store, log } = memoryStore(Array.from({ length: 6 }, (_, i) => row(i + 1)), 2);
  const { transport, sent } = memoryTransport();
  const result = await new Dispatcher(deps(store, transport), { batchSize: 6, concurrency: 1 }).run();
  assert.equal(result.sent, 2);
  assert.equal(result.no_capacity, true);
  assert.deepEqual(log.released.sort(), [3, 4, 5, 6], "the untouched claims, released together");
  assert.equal(sent.length, 2);
  assert.equal(log.claims, 1, "no batch is claimed once capacity is gone");
});

Deno.test("Dispatcher - with no capacity at the claim, only maybe-sent rows are claimed and reconciled", async () => {
  const started = new Date(Date.now() - 60_000);
  const due = [row(1), row(2, { send_started_at: started, attempt_mailbox: MAILBOX })];
  const { store, log } = memoryStore(due, 0);
  const { transport, sent } = memoryTransport({ t2: "<found@mb.example>" });
  const dispatcher = new Dispatcher(deps(store, transport));
  const result = await dispatcher.run();
  assert.equal(result.no_capacity, true);
  assert.equal(result.claimed, 1);
  assert.equal(result.recovered, 1);
  assert.deepEqual(log.recovered, [2]);
  assert.equal(sent.length, 0, "a lookup, never a send");
  assert.equal(dispatcher.mode, "DONE");
});

Deno.test("Dispatcher - a failed claim ends the run with its error, after closing", async () => {
  const { store } = memoryStore([row(1)], 10);
  const failing: DispatchStore = { ...store, claim: () => Promise.reject(new Error("connection lost")) };
  const dispatcher = new Dispatcher(deps(failing, memoryTransport().transport));
  await assert.rejects(dispatcher.run(), /connection lost/);
  assert.equal(dispatcher.mode, "CLOSING", "closed, but no result");
});

Deno.test("Dispatcher - an aborted signal claims nothing", async () => {
  const { store, log } = memoryStore([row(1)], 10);
  const controller = new AbortController();
  controller.abort();
  const result = await new Dispatcher(deps(store, memoryTransport().transport), { signal: controller.signal })
    .run();
  assert.equal(result.claimed, 0);
  assert.equal(log.claims, 0);
});

Deno.test("Dispatcher - past its batch limit it drains: the rows it claimed are sent, no more are claimed", async () => {
  const { store, log } = memoryStore(Array.from({ length: 12 }, (_, i) => row(i + 1)), 100);
  const { transport, sent } = memoryTransport();
  const result = await new Dispatcher(deps(store, transport), { batchSize: 5, concurrency: 2, maxBatches: 2 })
    .run();
  assert.equal(result.batches, 2);
  assert.equal(result.sent, 10);
  assert.equal(sent.length, 10);
  assert.equal(log.claims, 2);
  assert.equal(result.no_capacity, false);
  assert.deepEqual(log.released, [], "nothing claimed was left untouched");
});

Deno.test("Dispatcher - capacity rounds ask for the rows waiting and the next in flight, at most a batch", async () => {
  const due = Array.from({ length: 450 }, (_, i) => row(i + 1));
  const { store, log } = memoryStore(due, 10_000);
  const asked: number[] = [];
  const spread = store.reserveUnitsSpread;
  store.reserveUnitsSpread = (count) => (asked.push(count), spread(count));
  const { transport } = memoryTransport();
  const result = await new Dispatcher(deps(store, transport), { batchSize: 100, concurrency: 8 }).run();
  assert.equal(result.sent, 450);
  assert.equal(new Set(log.sent).size, 450);
  assert.ok(Math.max(...asked) <= 100, `at most a batch per round: ${asked}`);
  assert.ok(asked.length <= 12, `rounds of about a batch, not of the messages in flight: ${asked.length}`);
});

Deno.test("Dispatcher - at most `concurrency` messages at the provider at once, every row sent once", async () => {
  const { store, log } = memoryStore(Array.from({ length: 60 }, (_, i) => row(i + 1)), 1_000);
  let inFlight = 0;
  let most = 0;
  const { transport } = memoryTransport();
  const slow: Transport = {
    ...transport,
    send: async (message) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return transport.send(message);
    },
  };
  const result = await new Dispatcher(deps(store, slow), { batchSize: 20, concurrency: 4 }).run();
  assert.equal(result.sent, 60);
  assert.equal(new Set(log.sent).size, 60);
  assert.equal(most, 4);
});

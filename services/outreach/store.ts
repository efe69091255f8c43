/**
 * What the dispatcher needs from the database, as one small interface (the way listmonk's campaign manager
 * sees its `Store`): the outreach rows it claims and writes, the mailbox capacity it reserves, and the
 * mailbox health it reports. `sqlDispatchStore` binds the queries of db/ to one pool; the rules themselves
 * (availability, send cap, opt-out, who owns a row) live in those queries, once each.
 */
import type { Sql } from "@/db/client.ts";
import {
  cancelBlockedOutreach,
  claimDueOutreach,
  type ClaimedOutreach,
  type ClaimOwner,
  holdUncertainOutreach,
  markFailed,
  markRecoveredSent,
  markSendingMany,
  markSentMany,
  releaseClaims,
  rescheduleOutreach,
  type RowKey,
  type RowOwner,
  type SendingMark,
  type SentMark,
} from "@/db/outreach_dispatch.ts";
import { cancelClaimedOutreach, holdOutreach } from "@/db/outreach_holds.ts";
import {
  hasMailboxCapacity,
  recordMailboxFailure,
  recordMailboxSuccess,
  releaseMailboxUnits,
  type ReservedMailbox,
  type ReservedUnit,
  reserveMailboxUnits,
  reserveMailboxUnitsSpread,
  reserveThisMailbox,
} from "@/db/mailboxes.ts";

/** The outreach rows: claimed, checked, and given their fate, each write checked against its owner. */
export interface OutreachStore {
  /** Up to `limit` due rows, leased to `owner` (db/outreach_dispatch.ts `claimDueOutreach`). */
  claim(
    owner: ClaimOwner,
    limit: number,
    leaseSeconds: number,
    options: { maybeSentOnly?: boolean },
  ): Promise<ClaimedOutreach[]>;
  /** Gives claimed rows nothing was done with back at once. */
  releaseClaims(rows: RowKey[], owner: ClaimOwner): Promise<void>;
  /** The last check and the attempt, for many rows; answers, in order, whether each may be sent. */
  markSending(marks: SendingMark[]): Promise<boolean[]>;
  /** Records accepted messages; answers, in order, whether each was recorded. */
  markSent(marks: SentMark[]): Promise<boolean[]>;
  /** A maybe-sent row found at the provider. */
  markRecoveredSent(row: RowKey, owner: ClaimOwner, messageId: string): Promise<boolean>;
  /** Cancels a row whose contact opted out, replied or bounced. */
  cancelBlocked(row: RowKey, owner: ClaimOwner): Promise<boolean>;
  /** Cancels a row that must never be sent (a real-mail rule), with its reason. */
  cancel(row: RowKey, owner: ClaimOwner, reason: string): Promise<boolean>;
  /** Leaves a row queued until `until`, held for `reason` (a real-mail rule). */
  hold(row: RowKey, owner: ClaimOwner, until: Date, reason: string): Promise<boolean>;
  /** Keeps a maybe-sent row from every dispatcher until `until`. */
  holdUncertain(row: RowKey, owner: RowOwner, until: Date, error: string): Promise<void>;
  /** Leaves a row queued for another try at `dueAt` (null: as it was). */
  reschedule(
    row: RowKey,
    owner: RowOwner,
    dueAt: Date | null,
    error: string | null,
    options?: { clearAttempt?: boolean },
  ): Promise<boolean>;
  /** Ends a row as failed with its reason. */
  fail(row: RowKey, owner: RowOwner, reason: string): Promise<void>;
}

/** Mailbox capacity, reserved atomically so that caps hold across processes (./mailbox_pool.ts). */
export interface CapacityStore {
  /** Whether some mailbox could take a message now (row locks ignored). */
  hasCapacity(): Promise<boolean>;
  /** One unit on each of up to `count` available mailboxes, least filled first. */
  reserveUnits(count: number): Promise<ReservedMailbox[]>;
  /** Up to `count` units, several per mailbox where the fill stays lowest. */
  reserveUnitsSpread(count: number): Promise<(ReservedMailbox & { units: number })[]>;
  /** One unit on this mailbox, if it is available. */
  reserveMailbox(id: number): Promise<ReservedMailbox | undefined>;
  /** Gives units back. */
  releaseUnits(units: ReservedUnit[]): Promise<void>;
}

/** What a send says about a mailbox's health. */
export interface MailboxHealthStore {
  /** A successful send ends a failure streak. */
  recordSuccess(mailboxId: number): Promise<void>;
  /** Counts a failure; answers whether the mailbox was paused now (the `pauseAfter`-th in a row). */
  recordFailure(mailboxId: number, error: string, pauseAfter: number): Promise<boolean>;
}

export type DispatchStore = OutreachStore & CapacityStore & MailboxHealthStore;

/** The store over db/, on one pool. */
export function sqlDispatchStore(sql: Sql): DispatchStore {
  return {
    claim: (owner, limit, leaseSeconds, options) =>
      claimDueOutreach(sql, owner, limit, leaseSeconds, options),
    releaseClaims: (rows, owner) => releaseClaims(sql, rows, owner),
    markSending: (marks) => markSendingMany(sql, marks),
    markSent: (marks) => markSentMany(sql, marks),
    markRecoveredSent: (row, owner, messageId) => markRecoveredSent(sql, row, owner, messageId),
    cancelBlocked: (row, owner) => cancelBlockedOutreach(sql, row, owner),
    cancel: (row, owner, reason) => cancelClaimedOutreach(sql, row, owner, reason),
    hold: (row, owner, until, reason) => holdOutreach(sql, row, owner, until, reason),
    holdUncertain: (row, owner, until, error) => holdUncertainOutreach(sql, row, owner, until, error),
    reschedule: (row, owner, dueAt, error, options) =>
      rescheduleOutreach(sql, row, owner, dueAt, error, options),
    fail: (row, owner, reason) => markFailed(sql, row, owner, reason),
    hasCapacity: () => hasMailboxCapacity(sql),
    reserveUnits: (count) => reserveMailboxUnits(sql, count),
    reserveUnitsSpread: (count) => reserveMailboxUnitsSpread(sql, count),
    reserveMailbox: (id) => reserveThisMailbox(sql, id),
    releaseUnits: (units) => releaseMailboxUnits(sql, units),
    recordSuccess: (id) => recordMailboxSuccess(sql, id),
    recordFailure: (id, error, pauseAfter) => recordMailboxFailure(sql, id, error, pauseAfter),
  };
}

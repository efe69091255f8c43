/**
 * A dispatcher run's knobs (with the production defaults) and what it answers.
 */
import type { ClaimedOutreach } from "@/db/outreach_dispatch.ts";
import type { Transport } from "@/core/mail/types.ts";

export interface DispatchOptions {
  /** Rows claimed per batch. */
  batchSize?: number;
  /** Messages in flight at once within this process. */
  concurrency?: number;
  /** How long a claim protects a row from other dispatchers. */
  leaseSeconds?: number;
  /**
   * How long after an attempt a provider lookup that finds nothing is
   * trusted enough to send again (Mailgun's events can lag behind).
   */
  recoveryGraceMs?: number;
  /** Attempts before a temporarily failing row ends as failed. */
  maxAttempts?: number;
  /** Consecutive transport failures that pause a mailbox. */
  pauseMailboxAfter?: number;
  /** How long a follow-up waits for step 1's mailbox before it fails (issue 11). */
  followUpMailboxWaitMs?: number;
  /** Stop claiming new batches after this long (the cron runs every minute). */
  maxRuntimeMs?: number;
  /** Stop after this many batches (tests). */
  maxBatches?: number;
  /** Instead of the app's transport (tests, drills). */
  transport?: Transport;
  /** Instead of the configured `APP_BASE_URL` (unsubscribe links). */
  appBaseUrl?: string;
  /** Aborted: no new batch is claimed (shutdown). */
  signal?: AbortSignal;
  /** Test hook: called after the attempt is recorded, before the provider is called. */
  beforeSend?: (row: ClaimedOutreach) => Promise<void> | void;
}

/** The numeric knobs with their defaults applied. */
export type DispatchSettings = Required<
  Pick<
    DispatchOptions,
    | "batchSize"
    | "concurrency"
    | "leaseSeconds"
    | "recoveryGraceMs"
    | "maxAttempts"
    | "pauseMailboxAfter"
    | "followUpMailboxWaitMs"
    | "maxRuntimeMs"
    | "maxBatches"
  >
>;

export function dispatchSettings(options: DispatchOptions): DispatchSettings {
  return {
    batchSize: options.batchSize ?? 200,
    concurrency: options.concurrency ?? 32,
    leaseSeconds: options.leaseSeconds ?? 300,
    recoveryGraceMs: options.recoveryGraceMs ?? 15 * 60_000,
    maxAttempts: options.maxAttempts ?? 6,
    pauseMailboxAfter: options.pauseMailboxAfter ?? 5,
    followUpMailboxWaitMs: options.followUpMailboxWaitMs ?? 3 * 86_400_000,
    maxRuntimeMs: options.maxRuntimeMs ?? 50_000,
    maxBatches: options.maxBatches ?? Infinity,
  };
}

export interface DispatchResult {
  claimed: number;
  sent: number;
  failed: number;
  retried: number;
  canceled: number;
  deferred: number;
  recovered: number;
  uncertain: number;
  /** Stopped because no mailbox had capacity left. */
  no_capacity: boolean;
  batches: number;
  ms: number;
}

export function emptyResult(): DispatchResult {
  return {
    claimed: 0,
    sent: 0,
    failed: 0,
    retried: 0,
    canceled: 0,
    deferred: 0,
    recovered: 0,
    uncertain: 0,
    no_capacity: false,
    batches: 0,
    ms: 0,
  };
}

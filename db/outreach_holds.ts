/**
 * Rows the dispatcher holds back or drops for the real-mail rules (issue 11, core/outreach_gates.ts): a
 * follow-up waits while an earlier step is not sent, is canceled when an earlier step will never be sent,
 * and waits for step 1's mailbox. `hold_reason` names the wait on the timeline (contract §6 `waiting_reason`);
 * `held_since` dates the start of a wait that has a limit. Every write checks the claim, like the dispatcher's.
 */
import type { Sql } from "./client.ts";
import type { ClaimOwner, RowKey } from "./outreach_dispatch.ts";

/** Leaves a claimed row queued until `dueAt`, held for `reason` (the clock of a new reason starts now). */
export async function holdOutreach(
  sql: Sql,
  row: RowKey,
  owner: ClaimOwner,
  dueAt: Date,
  reason: string,
): Promise<boolean> {
  const updated = await sql`
    update outreach
    set due_at = greatest(due_at, ${dueAt}::timestamptz), lease_until = null,
        held_since = case when hold_reason = ${reason}::varchar then coalesce(held_since, now()) else now() end,
        hold_reason = ${reason}::varchar
    where id = ${row.id}::int and queued_at = ${row.queued_at}::text::timestamptz and status = 'queued'
      and claim_id = ${owner.claimId}::uuid and send_started_at is null
    returning id`;
  return updated.length === 1;
}

/** Cancels a claimed row that must never be sent (an earlier step failed); answers whether it did. */
export async function cancelClaimedOutreach(
  sql: Sql,
  row: RowKey,
  owner: ClaimOwner,
  reason: string,
): Promise<boolean> {
  const updated = await sql`
    update outreach set status = 'canceled', last_error = ${reason.slice(0, 2000)}::text, lease_until = null,
      hold_reason = null, held_since = null
    where id = ${row.id}::int and queued_at = ${row.queued_at}::text::timestamptz and status = 'queued'
      and claim_id = ${owner.claimId}::uuid and send_started_at is null
    returning id`;
  return updated.length === 1;
}

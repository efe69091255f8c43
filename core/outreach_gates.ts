/**
 * The dispatcher's real-mail rules for one claimed row (issue 11), as pure decisions:
 * - a follow-up never goes out while an earlier step of the same sequence to the same contact failed, bounced
 *   or is not sent yet: canceled in the first case (it would follow up on mail never received), held until
 *   just after the earlier step is due in the second;
 * - a follow-up goes out from step 1's mailbox only; while that mailbox cannot send it waits, up to a limit,
 *   after which it fails with a reason.
 */

export interface GateRow {
  step_no: number;
  send_started_at: Date | null;
  earlier_state: "failed" | "pending" | null;
  earlier_due_at: Date | null;
  hold_reason: string | null;
  held_since: Date | null;
}

export type Gate =
  | { action: "cancel"; reason: string }
  | { action: "hold"; until: Date; reason: "earlier_step" | "follow_up_mailbox" }
  | { action: "fail"; reason: string };

/** Before capacity: what an earlier step of the sequence says about this one (undefined: go on). */
export function earlierStepGate(row: GateRow, now: Date = new Date()): Gate | undefined {
  if (row.step_no <= 1 || row.send_started_at || !row.earlier_state) return undefined;
  if (row.earlier_state === "failed") {
    return { action: "cancel", reason: "an earlier step of this sequence was not sent (failed or canceled)" };
  }
  const after = Math.max(now.getTime(), row.earlier_due_at?.getTime() ?? 0) + 60_000;
  return { action: "hold", until: new Date(after), reason: "earlier_step" };
}

/** When step 1's mailbox gave no capacity: wait (checked again every `retryMs`) or, past `limitMs`, fail. */
export function followUpMailboxGate(
  row: GateRow,
  mailboxEmail: string | null,
  limitMs: number,
  retryMs = 30 * 60_000,
  now: Date = new Date(),
): Gate {
  const since = row.hold_reason === "follow_up_mailbox" && row.held_since
    ? row.held_since.getTime()
    : now.getTime();
  if (now.getTime() - since >= limitMs) {
    const hours = Math.round(limitMs / 3600_000);
    return {
      action: "fail",
      reason: `step 1's mailbox${mailboxEmail ? ` ${mailboxEmail}` : ""} could not send for ${hours} h; ` +
        "a follow-up is never sent from another address",
    };
  }
  return { action: "hold", until: new Date(now.getTime() + retryMs), reason: "follow_up_mailbox" };
}

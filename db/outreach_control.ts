/**
 * Pause, resume and stop one contact's sequence within an application
 * (contract §6), as the user (`withUser`: row-level security keeps them to
 * their own outreach). Only rows not yet handed to a provider change: a step
 * whose send has started (`send_started_at`) goes out or fails on its own.
 * The dispatcher skips paused rows at its claim and again at its last check
 * before sending, so a row it claimed just before the pause is not sent.
 */
import { type Sql, type Tx, withUser } from "./client.ts";
import { HttpError } from "@/core/http_error.ts";
import { listOutreachForApplication, type TimelineItem } from "./outreach.ts";

export type SequenceAction = "pause" | "resume" | "stop";

async function assertApplication(tx: Tx, applicationId: number): Promise<void> {
  const [app] = await tx`select id from applications where id = ${applicationId}::int`;
  if (!app) throw new HttpError(404, "application not found");
}

/**
 * Applies `action` to the contact's queued rows of the application and
 * answers that contact's rows afterwards. Pausing keeps every step; resuming
 * moves each due time forward by how long it was paused; stopping cancels
 * what is not sent. 404 for an application not the caller's, 409 when there
 * is nothing to act on (no queued step; nothing paused to resume; already
 * paused).
 */
export async function changeSequence(
  sql: Sql,
  userId: number,
  applicationId: number,
  contactId: number,
  action: SequenceAction,
): Promise<TimelineItem[]> {
  await withUser(sql, userId, async (tx) => {
    await assertApplication(tx, applicationId);
    const match = tx`application_id = ${applicationId}::int and contact_id = ${contactId}::int
      and status = 'queued' and send_started_at is null`;
    let changed: readonly unknown[];
    if (action === "pause") {
      changed =
        await tx`update outreach set paused_at = now() where ${match} and paused_at is null returning id`;
    } else if (action === "resume") {
      changed = await tx`
        update outreach set due_at = due_at + (now() - paused_at), paused_at = null
        where ${match} and paused_at is not null returning id`;
    } else {
      changed = await tx`
        update outreach set status = 'canceled', paused_at = null, last_error = 'stopped by you'
        where ${match} returning id`;
    }
    if (changed.length === 0) {
      const message = action === "resume"
        ? "this contact's sequence is not paused"
        : action === "pause"
        ? "this contact has no email waiting to be paused"
        : "this contact has no email waiting to be stopped";
      throw new HttpError(409, message, { code: "nothing_to_change" });
    }
  });
  const items = await listOutreachForApplication(sql, userId, applicationId);
  return items.filter((r) => r.contact_id === contactId);
}

/**
 * An admin's changes to one mailbox (contract §6 `PATCH`/`DELETE
 * /api/admin/mailboxes/:id`): the cap, the warm-up and the status (pause and
 * resume), and deleting a mailbox that never sent (one that did is kept: its
 * sends, bounces and complaints are the history the health score reads). The production DNS rule for a
 * mailbox set to send is checked before, by services/deliverability/mailbox_checks.ts `updateMailboxChecked`.
 */
import type { Sql } from "./client.ts";
import { HttpError } from "@/core/http_error.ts";
import { listMailboxes, type MailboxView } from "./mailboxes.ts";

export interface MailboxChanges {
  daily_cap?: number;
  status?: "warmup" | "active" | "paused";
  warmup_enabled?: boolean;
  warmup_start_date?: string | null;
}

/** One mailbox as the admin sees it, or undefined. */
export async function getMailbox(sql: Sql, id: number): Promise<MailboxView | undefined> {
  return (await listMailboxes(sql)).find((m) => m.id === id);
}

/**
 * Applies the changes; 404 for an unknown mailbox. Pausing records who
 * paused it; resuming clears the pause reason and the failure streak (the
 * admin judged the cause fixed). Warming up without a start date starts now.
 */
export async function updateMailbox(sql: Sql, id: number, changes: MailboxChanges): Promise<MailboxView> {
  const status = changes.status ?? null;
  const updated = await sql`
    update mailboxes set
      daily_cap = coalesce(${changes.daily_cap ?? null}::int, daily_cap),
      warmup_enabled = coalesce(${changes.warmup_enabled ?? null}::boolean, warmup_enabled),
      warmup_start_date = case
        when ${changes.warmup_start_date !== undefined}::boolean then ${
    changes.warmup_start_date ?? null
  }::timestamptz
        when ${status}::varchar = 'warmup' and warmup_start_date is null then now()
        else warmup_start_date end,
      status = coalesce(${status}::varchar, status),
      paused_reason = case
        when ${status}::varchar = 'paused' and status <> 'paused' then 'paused by an admin'
        when ${status}::varchar in ('active', 'warmup') then null
        else paused_reason end,
      consecutive_failures = case when ${status}::varchar in ('active', 'warmup') and status = 'paused' then 0
                                  else consecutive_failures end
    where id = ${id}::int
    returning id`;
  if (!updated.length) throw new HttpError(404, "mailbox not found");
  return (await getMailbox(sql, id))!;
}

/** Deletes a mailbox that never sent; 404 unknown, 409 when it has sent (pause it instead). */
export async function deleteMailbox(sql: Sql, id: number): Promise<void> {
  const [row] = await sql<{ sent: boolean }[]>`
    select exists (select 1 from outreach o where o.mailbox_id = m.id) or exists (
      select 1 from outbox_messages x where x.mailbox_email = m.email) as sent
    from mailboxes m where m.id = ${id}::int`;
  if (!row) throw new HttpError(404, "mailbox not found");
  if (row.sent) {
    throw new HttpError(409, "this mailbox has sent email, so its history is kept: pause it instead", {
      code: "mailbox_has_sent",
    });
  }
  await sql`delete from mailboxes where id = ${id}::int`;
}

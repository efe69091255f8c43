/**
 * What the board's cards show besides the application itself: the job's pay
 * and the next queued email of each application (issue 12: "cards show the
 * next step and its date, and the salary"). One query for the whole board.
 */
import { type Sql, withUser } from "./client.ts";

export interface BoardFacts {
  application_id: number;
  comp_min: number | null;
  comp_max: number | null;
  /** The next queued (not paused) email: its step, contact and due time. */
  next_email_at: Date | null;
  next_email_step: number | null;
  next_email_contact: string | null;
}

export async function listBoardFacts(sql: Sql, userId: number): Promise<Map<number, BoardFacts>> {
  const rows = await withUser(sql, userId, (tx) =>
    tx<BoardFacts[]>`
      select a.id as application_id, j.comp_min, j.comp_max, n.due_at as next_email_at, n.step_no as next_email_step,
             n.full_name as next_email_contact
      from applications a
      join jobs j on j.id = a.job_id
      left join lateral (
        select o.due_at, o.step_no, c.full_name from outreach o join contacts c on c.id = o.contact_id
        where o.application_id = a.id and o.status = 'queued' and o.paused_at is null
        order by o.due_at, o.id limit 1
      ) n on true`);
  return new Map(rows.map((r) => [r.application_id, r]));
}

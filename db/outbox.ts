/**
 * The development transport's store (`outbox_messages`): messages RoleFerry
 * would have sent, shown at /dev/outbox. One row per outreach token, so a
 * repeated send finds the first message instead of storing a second.
 */
import type { Sql } from "./client.ts";

export interface OutboxMessage {
  id: number;
  outreach_token: string | null;
  message_id: string;
  mailbox_email: string;
  to_email: string;
  subject: string;
  body: string;
  headers: Record<string, string>;
  created_at: Date;
}

/** Stores a message once per token; answers the stored message id (the first one when repeated). */
export async function storeOutboxMessage(sql: Sql, input: {
  token: string;
  messageId: string;
  mailboxEmail: string;
  to: string;
  subject: string;
  body: string;
  headers: Record<string, string>;
}): Promise<string> {
  const [row] = await sql<{ message_id: string }[]>`
    with inserted as (
      insert into outbox_messages (outreach_token, message_id, mailbox_email, to_email, subject, body, headers)
      values (${input.token}::varchar, ${input.messageId}::varchar, ${input.mailboxEmail}::varchar,
              ${input.to}::varchar, ${input.subject}::varchar, ${input.body}::text, ${
    sql.json(input.headers)
  }::jsonb)
      on conflict (outreach_token) where outreach_token is not null do nothing
      returning message_id
    )
    select message_id from inserted
    union all
    select message_id from outbox_messages where outreach_token = ${input.token}::varchar
    limit 1`;
  return row.message_id;
}

/** The stored message id for an outreach token, if any. */
export async function findOutboxMessageId(sql: Sql, token: string): Promise<string | undefined> {
  const [row] = await sql<{ message_id: string }[]>`
    select message_id from outbox_messages where outreach_token = ${token}::varchar`;
  return row?.message_id;
}

/**
 * The newest stored messages of one user, for /dev/outbox: their outreach (by its token, through their
 * applications), and system mail (no outreach token, or a `sys-` one: services/mail/system_mail.ts) to their own
 * address.
 */
export async function listOutboxMessages(
  sql: Sql,
  user: { id: number; email: string },
  limit = 100,
): Promise<OutboxMessage[]> {
  return await sql<OutboxMessage[]>`
    select m.id::int as id, m.outreach_token, m.message_id, m.mailbox_email, m.to_email, m.subject, m.body,
           m.headers, m.created_at
    from outbox_messages m
    where ((m.outreach_token is null or m.outreach_token like 'sys-%')
           and lower(m.to_email) = lower(${user.email}::varchar))
       or exists (
         select 1 from outreach o join applications a on a.id = o.application_id
         where o.outreach_token = m.outreach_token and a.user_id = ${user.id}::int)
    order by m.id desc limit ${limit}::int`;
}

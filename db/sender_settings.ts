/**
 * How a user's outreach presents its sender (issue 11): `From: "<full_name>" <mailbox>` and an optional
 * Reply-To. Runs as the user (row-level security on users; app_user may update only `reply_to_email` here).
 */
import { type Sql, withUser } from "./client.ts";

export interface SenderSettings {
  /** The name in `From` (the user's full name; changed with the profile). */
  from_name: string;
  /** Where replies go instead of the sending mailbox; null: to the mailbox (reply detection works). */
  reply_to: string | null;
}

export async function getSenderSettings(sql: Sql, userId: number): Promise<SenderSettings> {
  return await withUser(sql, userId, async (tx) => {
    const [row] = await tx<SenderSettings[]>`
      select full_name as from_name, reply_to_email as reply_to from users where id = ${userId}::int`;
    return row;
  });
}

export async function putSenderSettings(
  sql: Sql,
  userId: number,
  input: { reply_to: string | null },
): Promise<SenderSettings> {
  return await withUser(sql, userId, async (tx) => {
    const [row] = await tx<SenderSettings[]>`
      update users set reply_to_email = ${
      input.reply_to?.toLowerCase() ?? null
    }::varchar where id = ${userId}::int
      returning full_name as from_name, reply_to_email as reply_to`;
    return row;
  });
}

/**
 * The development mailbox pool (contract §6): in development with the
 * `outbox` transport, a fresh install has mailboxes to send from, so a queued
 * email reaches /dev/outbox at the next dispatch tick instead of waiting
 * forever with "no mailbox". The outbox transport never opens a connection,
 * so their SMTP fields are placeholders. Nothing is created in any other
 * environment or with a real transport.
 */
import type { Sql } from "./client.ts";
import { encryptSecret } from "@/core/secrets.ts";
import type { Config } from "@/fresh.config.ts";

/** The pool's domain: `.localhost` is reserved (RFC 6761), so no real mail can ever go there. */
export const DEV_MAILBOX_DOMAIN = "outbox.localhost";
const DEV_MAILBOXES = ["dev-1", "dev-2", "dev-3"].map((name) => `${name}@${DEV_MAILBOX_DOMAIN}`);

/** Whether `cfg` gets the development pool. */
export function wantsDevMailboxes(cfg: Pick<Config, "env" | "mailTransport">): boolean {
  return cfg.env === "development" && cfg.mailTransport === "outbox";
}

/**
 * Creates the pool's missing mailboxes (active, no warm-up, 500 a day);
 * answers how many it created. Idempotent: a mailbox the developer paused or
 * changed keeps their changes, and one they deleted comes back at the next
 * start only if the whole pool is gone.
 */
export async function ensureDevMailboxes(
  sql: Sql,
  cfg: Pick<Config, "env" | "mailTransport" | "secret">,
): Promise<number> {
  if (!wantsDevMailboxes(cfg)) return 0;
  const [{ any }] = await sql<{ any: boolean }[]>`
    select exists (select 1 from mailboxes where domain = ${DEV_MAILBOX_DOMAIN}::varchar) as any`;
  if (any) return 0;
  const password = await encryptSecret("outbox", cfg.secret);
  const rows = await sql`
    insert into mailboxes (email, domain, smtp_host, smtp_port, smtp_username, smtp_password_encrypted,
                           daily_cap, status, warmup_enabled)
    select e, ${DEV_MAILBOX_DOMAIN}::varchar, 'localhost', 587, e, ${password}::varchar, 500, 'active', false
    from unnest(${DEV_MAILBOXES}::varchar[]) as e
    on conflict (email) do nothing
    returning id`;
  return rows.length;
}

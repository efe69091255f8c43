/**
 * The app context: everything a service needs from the outside world, built once by the composition root
 * (app/context.ts) and handed down — to routes through `ctx.state.app`, to jobs as their argument, to
 * services as their first parameter. Tests build their own (tests/helpers/app.ts) on their own database.
 *
 * Nothing below the composition root keeps these in module variables: a module that needs the pool, the
 * configuration or the mail transport receives them.
 */
import type { Config } from "@/fresh.config.ts";
import type { Sql } from "@/db/client.ts";
import type { Transport } from "@/core/mail/types.ts";
import type { Clock } from "@/core/clock.ts";
import type { Logger } from "@/core/log.ts";
import type { Resolver } from "@/core/deliverability/dns_types.ts";
import type { SecretBox } from "@/core/secrets.ts";
import type { Passwords } from "@/services/accounts/password.ts";
import type { SystemMailQueue } from "@/services/mail/system_mail.ts";

export interface AppContext {
  readonly config: Config;
  /** The owner pool (no row-level security): `withUser(app.sql, userId, fn)` for a user's rows. */
  readonly sql: Sql;
  /** How emails leave: Mailgun, SMTP or the development outbox (`MAIL_TRANSPORT`). */
  readonly transport: Transport;
  readonly clock: Clock;
  readonly log: Logger;
  /** DNS for the deliverability checks (`ROLEFERRY_DNS`), with the process's one answer cache. */
  readonly resolver: Resolver;
  /** Password hashing on the app's bcrypt worker pool, at the environment's cost. */
  readonly passwords: Passwords;
  /** Secrets at rest (SMTP passwords) under ROLEFERRY_SECRET; the key is derived once. */
  readonly secrets: SecretBox;
  /** Password resets, verifications and notices being sent in the background (`queueSystemMail`). */
  readonly systemMail: SystemMailQueue;
}

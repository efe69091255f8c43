/**
 * Builds the app context (services/app_context.ts) from a loaded configuration and an open pool. The one
 * place that decides which transport, clock, logger and DNS resolver the app runs with.
 */
import type { Config } from "@/fresh.config.ts";
import type { Sql } from "@/db/client.ts";
import { systemClock } from "@/core/clock.ts";
import { log } from "@/core/log.ts";
import { transportFromConfig } from "@/services/mail/transport.ts";
import { SystemMailQueue } from "@/services/mail/system_mail.ts";
import { trackWork } from "./lifecycle.ts";
import type { AppContext } from "@/services/app_context.ts";
import { createResolver } from "@/services/deliverability/dns.ts";
import { createSecretBox } from "@/core/secrets.ts";
import { passwordCost, Passwords } from "@/services/accounts/password.ts";

export function createAppContext(
  config: Config,
  sql: Sql,
  overrides: Partial<Omit<AppContext, "config" | "sql">> = {},
): AppContext {
  const secrets = overrides.secrets ?? createSecretBox(() => config.secret);
  const logger = overrides.log ?? log;
  return {
    config,
    sql,
    transport: overrides.transport ?? transportFromConfig(config, sql, secrets),
    clock: overrides.clock ?? systemClock,
    log: logger,
    resolver: overrides.resolver ?? createResolver({ nameServer: config.dnsServer }),
    passwords: overrides.passwords ?? new Passwords(passwordCost(config.env)),
    secrets,
    systemMail: overrides.systemMail ?? new SystemMailQueue({ config, sql, log: logger }, trackWork),
  };
}

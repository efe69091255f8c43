/**
 * Builds the app context (services/app_context.ts) from a loaded configuration and an open pool. The one
 * place that decides which transport, clock, logger, metrics registry, replica set and lifecycle the app
 * runs with; each is new per context, so two contexts in one process (tests) share nothing.
 */
import type { Config } from "@/fresh.config.ts";
import type { Sql } from "@/db/client.ts";
import { systemClock } from "@/core/clock.ts";
import { createLogger } from "@/core/log.ts";
import { createMetrics } from "@/core/metrics.ts";
import { createLifecycle } from "@/core/lifecycle.ts";
import { createReplicas } from "@/db/replicas.ts";
import { transportFromConfig } from "@/services/mail/transport.ts";
import type { AppContext } from "@/services/app_context.ts";
import { createSecretBox } from "@/core/secrets.ts";
import { passwordCost, Passwords } from "@/services/accounts/password.ts";

export function createAppContext(
  config: Config,
  sql: Sql,
  overrides: Partial<Omit<AppContext, "config" | "sql">> = {},
): AppContext {
  return {
    config,
    sql,
    transport: overrides.transport ?? transportFromConfig(config),
    clock: overrides.clock ?? systemClock,
    log: overrides.log ?? createLogger(),
    metrics: overrides.metrics ?? createMetrics(),
    replicas: overrides.replicas ?? createReplicas(sql),
    lifecycle: overrides.lifecycle ?? createLifecycle(),
    passwords: overrides.passwords ?? new Passwords(passwordCost(config.env)),
    secrets: overrides.secrets ?? createSecretBox(() => config.secret),
  };
}

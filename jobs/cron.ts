/**
 * Every Deno.cron registration. `registerCrons` is called by main.ts while its top level runs, before its
 * first `await` (Deno Deploy discovers the crons a deployment registers while its main module's top-level
 * code is evaluated), when `Config.cron` is on, and by `deno task worker`. At that moment the app does not
 * exist yet: each handler computes its tick, waits for the app context that boot builds (configuration,
 * database, migrations applied), then runs the job through the registry with it, which makes sure only one
 * process runs each tick. A failed run is retried by Deno.cron after 10 s, then 1 min.
 */
import type { Lifecycle } from "@/core/lifecycle.ts";
import type { AppContext } from "@/services/app_context.ts";
import { cronTick, type JobName, JOBS, runJob } from "./registry.ts";

const backoffSchedule = [10_000, 60_000];

/** What the crons run with: the app once it is ready, and the lifecycle whose shutdown stops them. */
export interface CronHost {
  /** Resolves with the app context once boot has applied the migrations. */
  app: Promise<AppContext>;
  /** The app's lifecycle (the same object as `app.lifecycle`): its signal unregisters the crons. */
  lifecycle: Lifecycle;
}

/** The handler of one job's cron: waits for the app, then runs this tick unless shutdown began. */
export function cronHandler(host: CronHost, name: JobName): () => Promise<void> {
  return async () => {
    const tick = cronTick();
    const app = await host.app;
    if (host.lifecycle.signal.aborted) return;
    const run = await host.lifecycle.trackWork(() => runJob(app, name, { trigger: "cron", tick }));
    if (run.outcome === "error") throw new Error(`${name} failed: ${run.error}`);
  };
}

/** Registers every job's cron (see the module comment for when to call it). */
export function registerCrons(host: CronHost): void {
  const options = { backoffSchedule, signal: host.lifecycle.signal };
  const handler = (name: JobName) => cronHandler(host, name);
  Deno.cron("dispatch-outreach", JOBS["dispatch-outreach"].schedule, options, handler("dispatch-outreach"));
  Deno.cron("reset-mailboxes", JOBS["reset-mailboxes"].schedule, options, handler("reset-mailboxes"));
  Deno.cron("calculate-health", JOBS["calculate-health"].schedule, options, handler("calculate-health"));
  Deno.cron(
    "refresh-match-scores",
    JOBS["refresh-match-scores"].schedule,
    options,
    handler("refresh-match-scores"),
  );
  Deno.cron(
    "maintain-partitions",
    JOBS["maintain-partitions"].schedule,
    options,
    handler("maintain-partitions"),
  );
  Deno.cron("expire-jobs", JOBS["expire-jobs"].schedule, options, handler("expire-jobs"));
  Deno.cron(
    "end-idle-connections",
    JOBS["end-idle-connections"].schedule,
    options,
    handler("end-idle-connections"),
  );
  Deno.cron("purge-sessions", JOBS["purge-sessions"].schedule, options, handler("purge-sessions"));
  Deno.cron(
    "check-mailbox-counters",
    JOBS["check-mailbox-counters"].schedule,
    options,
    handler("check-mailbox-counters"),
  );
  Deno.cron("check-mailbox-dns", JOBS["check-mailbox-dns"].schedule, options, handler("check-mailbox-dns"));
}

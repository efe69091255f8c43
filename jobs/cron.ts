/**
 * Every Deno.cron registration, at module top level (Deno Deploy discovers them
 * there; main.ts imports this module). Each handler computes its tick, waits
 * until the app is ready (migrations applied), then runs the job through the
 * registry, which makes sure only one process runs each tick. A failed run is
 * retried by Deno.cron after 10 s, then 1 min.
 *
 * Off when ROLEFERRY_CRON=off: then `deno task worker` runs them instead.
 */
import { ready, shutdownSignal, trackWork } from "@/app/lifecycle.ts";
import { cronTick, type JobName, JOBS, runJob } from "./registry.ts";

const backoffSchedule = [10_000, 60_000];

function handler(name: JobName): () => Promise<void> {
  return async () => {
    const tick = cronTick();
    await ready();
    if (shutdownSignal.aborted) return;
    const run = await trackWork(() => runJob(name, { trigger: "cron", tick }));
    if (run.outcome === "error") throw new Error(`${name} failed: ${run.error}`);
  };
}

/** Whether this process registers the crons (true unless ROLEFERRY_CRON=off). */
export const CRON_ENABLED = Deno.env.get("ROLEFERRY_CRON") !== "off";

if (CRON_ENABLED) {
  const options = { backoffSchedule, signal: shutdownSignal };
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

import { z } from "zod";
import { defineApi } from "@/web/api.ts";
import { requireAdmin } from "@/services/accounts/admin.ts";
import { HttpError } from "@/core/http_error.ts";
import { isJobName, JOB_NAMES, runJob } from "@/jobs/registry.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

const RunOut = z.object({
  name: z.enum(JOB_NAMES as [string, ...string[]]),
  result: z.unknown().describe("what the job returned"),
  run: z.object({ tick: z.string(), outcome: z.literal("ok"), duration_ms: z.number(), rows: z.number() }),
});

export const api = defineApi({
  POST: {
    summary: `Run one scheduled job now (${JOB_NAMES.join(", ")}); 409 while a run of it is in progress`,
    auth: "admin",
    response: RunOut,
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    requireAdmin(ctx.state.app, ctx.req);
    const name = ctx.params.name;
    if (!isJobName(name)) {
      throw new HttpError(404, `no job named "${name}"; jobs: ${JOB_NAMES.join(", ")}`, {
        code: "unknown_job",
      });
    }
    const run = await runJob(name, { trigger: "manual" });
    if (run.outcome === "skipped") {
      throw new HttpError(409, `${name} is already running`, { code: "job_running" });
    }
    if (run.outcome === "error") {
      throw new HttpError(500, `${name} failed: ${run.error}`, { code: "job_failed" });
    }
    const { tick, outcome, duration_ms, rows } = run;
    return Response.json({ name, result: run.result, run: { tick, outcome, duration_ms, rows } });
  },
};

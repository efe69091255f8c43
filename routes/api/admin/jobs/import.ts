import { defineApi } from "@/web/api.ts";
import { requireAdmin } from "@/services/accounts/admin.ts";
import { ImportBody, importJobs, ImportOut } from "@/services/imports/job_import.ts";
import { parseJson } from "@/core/validate.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  POST: {
    summary: "Bulk upsert of jobs by external_id (companies by domain); bad rows are rejected one by one",
    auth: "admin",
    body: ImportBody,
    response: ImportOut,
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    requireAdmin(ctx.state.app, ctx.req);
    const { jobs } = await parseJson(ctx.req, api.POST.body);
    return Response.json(await importJobs(jobs));
  },
};

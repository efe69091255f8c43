import { defineApi } from "../../../../lib/api.ts";
import { requireAdmin } from "../../../../lib/admin.ts";
import { ImportBody, importJobs, ImportOut } from "../../../../lib/job_import.ts";
import { parseJson } from "../../../../lib/validate.ts";
import type { FreshContext } from "../../../../fresh/types.ts";
import type { AppState } from "../../../../lib/state.ts";

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
    requireAdmin(ctx.req);
    const { jobs } = await parseJson(ctx.req, api.POST.body);
    return Response.json(await importJobs(jobs));
  },
};

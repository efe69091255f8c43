import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { HttpError } from "@/core/http_error.ts";
import { JobDetailOut } from "@/core/job_schemas.ts";
import { parseId } from "@/core/validate.ts";
import { getJobForUser } from "@/db/jobs.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: {
    summary: "One job with its company and the caller's match reasons",
    auth: "user",
    response: JobDetailOut,
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const job = await getJobForUser(user.id, parseId(ctx.params.id, "job"));
    if (!job) throw new HttpError(404, "job not found");
    return Response.json(job);
  },
};

import { defineRoute, op } from "@/web/define_route.ts";
import { HttpError } from "@/core/http_error.ts";
import { JobDetailOut } from "@/core/job_schemas.ts";
import { parseId } from "@/core/validate.ts";
import { getJobForUser } from "@/db/jobs.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary: "One job with its company and the caller's match reasons",
    auth: "user",
    response: JobDetailOut,
    handler: async (ctx, { app, user }) => {
      const job = await getJobForUser(app.sql, user.id, parseId(ctx.params.id, "job"));
      if (!job) throw new HttpError(404, "job not found");
      return job;
    },
  }),
});

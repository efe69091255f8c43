import { defineRoute, op } from "@/web/define_route.ts";
import { recruiterOnly } from "@/web/recruiter_only.ts";
import { HttpError } from "@/core/http_error.ts";
import { CandidateOut, SetStage } from "@/core/role_schemas.ts";
import { parseId } from "@/core/validate.ts";
import { listCandidates, setCandidateStage } from "@/db/roles.ts";

export const { handler, api } = defineRoute({
  PATCH: op({
    summary: "Recruiter mode: move a candidate to another pipeline stage",
    auth: "user",
    before: recruiterOnly({ id: "role", cid: "candidate" }),
    body: SetStage,
    response: CandidateOut,
    handler: async (ctx, { app, user, body }) => {
      const roleId = parseId(ctx.params.id, "role");
      const candidateId = parseId(ctx.params.cid, "candidate");
      await setCandidateStage(app.sql, user.id, roleId, candidateId, body.stage);
      const candidate = (await listCandidates(app.sql, user.id, roleId)).find((c) => c.id === candidateId);
      if (!candidate) throw new HttpError(404, "candidate not found");
      return candidate;
    },
  }),
});

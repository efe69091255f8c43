import { defineRoute, op } from "@/web/define_route.ts";
import { recruiterOnly } from "@/web/recruiter_only.ts";
import { CandidateOut, SetStage } from "@/core/role_schemas.ts";
import { parseId } from "@/core/validate.ts";
import { getCandidate, setCandidateStage } from "@/db/roles.ts";

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
      return await getCandidate(app.sql, user.id, roleId, candidateId);
    },
  }),
});

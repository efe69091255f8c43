import { defineRoute, op } from "@/web/define_route.ts";
import { recruiterOnly } from "@/web/recruiter_only.ts";
import { AddCandidate, CandidateOut } from "@/core/role_schemas.ts";
import { sourceCandidate } from "@/services/roles/roles.ts";
import { parseId } from "@/core/validate.ts";
import { getCandidate } from "@/db/roles.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary:
      "Recruiter mode: source a candidate for the role (an existing contact, or a new one at their company)",
    auth: "user",
    before: recruiterOnly({ id: "role" }),
    body: AddCandidate,
    response: CandidateOut,
    status: 201,
    handler: async (ctx, { app, user, body }) => {
      const roleId = parseId(ctx.params.id, "role");
      const candidateId = await sourceCandidate(app.sql, user.id, roleId, body);
      return await getCandidate(app.sql, user.id, roleId, candidateId);
    },
  }),
});

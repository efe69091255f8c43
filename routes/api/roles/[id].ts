import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { recruiterOnly } from "@/web/recruiter_only.ts";
import { CandidateOut, RoleOut } from "@/core/role_schemas.ts";
import { parseId } from "@/core/validate.ts";
import { getRole, listCandidates } from "@/db/roles.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary:
      "Recruiter mode: one role and its candidates (sourced, contacted, replied, interviewing, submitted, hired)",
    auth: "user",
    before: recruiterOnly({ id: "role" }),
    response: RoleOut.extend({ candidates: z.array(CandidateOut) }),
    handler: async (ctx, { app, user }) => {
      const id = parseId(ctx.params.id, "role");
      const role = await getRole(app.sql, user.id, id);
      return { ...role, candidates: await listCandidates(app.sql, user.id, id) };
    },
  }),
});

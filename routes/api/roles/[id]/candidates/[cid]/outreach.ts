import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { OutreachOut } from "@/core/outreach_schemas.ts";
import { CandidateOutreach } from "@/core/role_schemas.ts";
import { reachCandidate } from "@/services/roles/roles.ts";
import { recruiterOnly } from "@/web/recruiter_only.ts";
import { parseId } from "@/core/validate.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary:
      'Recruiter mode: reach the candidate; the sequence is "Recruiter Cold Intro" unless sequence_id names another',
    auth: "user",
    body: CandidateOutreach,
    response: z.object({ items: z.array(OutreachOut) }),
    status: 201,
    before: recruiterOnly({ id: "role", cid: "candidate" }),
    handler: async (ctx, { app, user, body }) => {
      const roleId = parseId(ctx.params.id, "role");
      const candidateId = parseId(ctx.params.cid, "candidate");
      return { items: await reachCandidate(app, user.id, roleId, candidateId, body) };
    },
  }),
});

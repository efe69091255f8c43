import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { OutreachOut } from "@/core/outreach_schemas.ts";
import { CandidateOutreach } from "@/core/role_schemas.ts";
import { reachCandidate, requireRecruiter } from "@/services/accounts/roles.ts";
import { parseId } from "@/core/validate.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary:
      'Recruiter mode: reach the candidate; the sequence is "Recruiter Cold Intro" unless sequence_id names another',
    auth: "user",
    body: CandidateOutreach,
    response: z.object({ items: z.array(OutreachOut) }),
    status: 201,
    // As before: a job seeker gets 404, and a bad id 404, before the body is read.
    before: (ctx) => {
      requireRecruiter(ctx.state.user!);
      parseId(ctx.params.id, "role");
      parseId(ctx.params.cid, "candidate");
    },
    handler: async (ctx, { app, user, body }) => {
      const roleId = parseId(ctx.params.id, "role");
      const candidateId = parseId(ctx.params.cid, "candidate");
      return { items: await reachCandidate(app, user.id, roleId, candidateId, body) };
    },
  }),
});

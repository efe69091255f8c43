import { z } from "zod";
import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { OutreachOut } from "@/core/outreach_schemas.ts";
import { CandidateOutreach } from "@/core/role_schemas.ts";
import { reachCandidate, requireRecruiter } from "@/services/roles/roles.ts";
import { parseId, parseJson } from "@/core/validate.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  POST: {
    summary:
      'Recruiter mode: reach the candidate; the sequence is "Recruiter Cold Intro" unless sequence_id names another',
    auth: "user",
    body: CandidateOutreach,
    response: z.object({ items: z.array(OutreachOut) }),
    status: 201,
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    requireRecruiter(user);
    const roleId = parseId(ctx.params.id, "role");
    const candidateId = parseId(ctx.params.cid, "candidate");
    const items = await reachCandidate(
      ctx.state.app,
      user.id,
      roleId,
      candidateId,
      await parseJson(ctx.req, api.POST.body),
    );
    return Response.json({ items }, { status: 201 });
  },
};

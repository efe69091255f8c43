import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { CandidateOut, RoleOut } from "@/core/role_schemas.ts";
import { requireRecruiter } from "@/services/accounts/roles.ts";
import { parseId } from "@/core/validate.ts";
import { getRole, listCandidates } from "@/db/roles.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";
import { z } from "zod";

export const api = defineApi({
  GET: {
    summary:
      "Recruiter mode: one role and its candidates (sourced, contacted, replied, interviewing, submitted, hired)",
    auth: "user",
    response: RoleOut.extend({ candidates: z.array(CandidateOut) }),
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    requireRecruiter(user);
    const id = parseId(ctx.params.id, "role");
    const role = await getRole(user.id, id);
    return Response.json({ ...role, candidates: await listCandidates(user.id, id) });
  },
};

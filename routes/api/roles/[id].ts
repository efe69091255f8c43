import { defineApi } from "../../../lib/api.ts";
import { requireUser } from "../../../lib/auth.ts";
import { CandidateOut, RoleOut } from "../../../lib/role_schemas.ts";
import { requireRecruiter } from "../../../lib/roles.ts";
import { parseId } from "../../../lib/validate.ts";
import { getRole, listCandidates } from "../../../db/roles.ts";
import type { FreshContext } from "../../../fresh/types.ts";
import type { AppState } from "../../../lib/state.ts";
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

import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { HttpError } from "@/core/http_error.ts";
import { CandidateOut, SetStage } from "@/core/role_schemas.ts";
import { requireRecruiter } from "@/services/accounts/roles.ts";
import { parseId, parseJson } from "@/core/validate.ts";
import { listCandidates, setCandidateStage } from "@/db/roles.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  PATCH: {
    summary: "Recruiter mode: move a candidate to another pipeline stage",
    auth: "user",
    body: SetStage,
    response: CandidateOut,
  },
});

export const handler = {
  async PATCH(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    requireRecruiter(user);
    const roleId = parseId(ctx.params.id, "role");
    const candidateId = parseId(ctx.params.cid, "candidate");
    const { stage } = await parseJson(ctx.req, api.PATCH.body);
    await setCandidateStage(user.id, roleId, candidateId, stage);
    const candidate = (await listCandidates(user.id, roleId)).find((c) => c.id === candidateId);
    if (!candidate) throw new HttpError(404, "candidate not found");
    return Response.json(candidate);
  },
};

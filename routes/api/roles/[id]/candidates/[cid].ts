import { defineApi } from "../../../../../lib/api.ts";
import { requireUser } from "../../../../../lib/auth.ts";
import { HttpError } from "../../../../../lib/http_error.ts";
import { CandidateOut, SetStage } from "../../../../../lib/role_schemas.ts";
import { requireRecruiter } from "../../../../../lib/roles.ts";
import { parseId, parseJson } from "../../../../../lib/validate.ts";
import { listCandidates, setCandidateStage } from "../../../../../db/roles.ts";
import type { FreshContext } from "../../../../../fresh/types.ts";
import type { AppState } from "../../../../../lib/state.ts";

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

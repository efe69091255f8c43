import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { HttpError } from "@/core/http_error.ts";
import { AddCandidate, CandidateOut } from "@/core/role_schemas.ts";
import { requireRecruiter, sourceCandidate } from "@/services/accounts/roles.ts";
import { parseId, parseJson } from "@/core/validate.ts";
import { listCandidates } from "@/db/roles.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  POST: {
    summary:
      "Recruiter mode: source a candidate for the role (an existing contact, or a new one at their company)",
    auth: "user",
    body: AddCandidate,
    response: CandidateOut,
    status: 201,
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    requireRecruiter(user);
    const roleId = parseId(ctx.params.id, "role");
    const candidateId = await sourceCandidate(user.id, roleId, await parseJson(ctx.req, api.POST.body));
    const candidate = (await listCandidates(user.id, roleId)).find((c) => c.id === candidateId);
    if (!candidate) throw new HttpError(404, "candidate not found");
    return Response.json(candidate, { status: 201 });
  },
};

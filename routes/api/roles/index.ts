import { z } from "zod";
import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { CreateRole, RoleOut } from "@/core/role_schemas.ts";
import { createRole, requireRecruiter } from "@/services/accounts/roles.ts";
import { parseJson } from "@/core/validate.ts";
import { getRole, listRoles } from "@/db/roles.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: {
    summary: "Recruiter mode: the roles being filled, each with its candidate pipeline counts",
    auth: "user",
    response: z.object({ items: z.array(RoleOut) }),
  },
  POST: {
    summary: "Recruiter mode: fill a job ({job_id}) or a new private role for a client ({title, company})",
    auth: "user",
    body: CreateRole,
    response: RoleOut,
    status: 201,
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    requireRecruiter(user);
    return Response.json({ items: await listRoles(user.id) });
  },
  async POST(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    requireRecruiter(user);
    const id = await createRole(user.id, await parseJson(ctx.req, api.POST.body));
    return Response.json(await getRole(user.id, id), { status: 201 });
  },
};

import { defineApi } from "@/web/api.ts";
import { requireAdmin } from "@/services/accounts/admin.ts";
import { AdminUserBody, AdminUserOut } from "@/core/account_schemas.ts";
import { HttpError } from "@/core/http_error.ts";
import { parseId, parseJson } from "@/core/validate.ts";
import { setUserPlan } from "@/db/plans.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  PATCH: {
    summary: "Set a user's plan and credit balance (what a payment webhook would do; see docs/accounts.md)",
    auth: "admin",
    body: AdminUserBody,
    response: AdminUserOut,
  },
});

export const handler = {
  async PATCH(ctx: FreshContext<AppState>) {
    requireAdmin(ctx.req);
    const id = parseId(ctx.params.id, "user");
    const user = await setUserPlan(id, await parseJson(ctx.req, api.PATCH.body));
    if (!user) throw new HttpError(404, "user not found");
    return Response.json(user);
  },
};

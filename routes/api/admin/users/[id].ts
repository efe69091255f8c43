import { defineRoute, op } from "@/web/define_route.ts";
import { AdminUserBody, AdminUserOut } from "@/core/account_schemas.ts";
import { HttpError } from "@/core/http_error.ts";
import { parseId } from "@/core/validate.ts";
import { setUserPlan } from "@/db/plans.ts";

export const { handler, api } = defineRoute({
  PATCH: op({
    summary: "Set a user's plan and credit balance (what a payment webhook would do; see docs/accounts.md)",
    auth: "admin",
    body: AdminUserBody,
    response: AdminUserOut,
    before: (ctx) => void parseId(ctx.params.id, "user"),
    handler: async (ctx, { app, body }) => {
      const user = await setUserPlan(app.sql, parseId(ctx.params.id, "user"), body);
      if (!user) throw new HttpError(404, "user not found");
      return user;
    },
  }),
});

import { defineRoute, op } from "@/web/define_route.ts";
import { HttpError } from "@/core/http_error.ts";
import { parseId } from "@/core/validate.ts";
import { endSession } from "@/db/account.ts";

export const { handler, api } = defineRoute({
  DELETE: op({
    summary: "End one of the account's sessions (its token stops working)",
    auth: "user",
    status: 204,
    handler: async (ctx, { app, user }) => {
      const id = parseId(ctx.params.id, "session");
      if (!(await endSession(app.sql, user.id, id))) throw new HttpError(404, "session not found");
      return new Response(null, { status: 204 });
    },
  }),
});

import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { HttpError } from "@/core/http_error.ts";
import { parseId } from "@/core/validate.ts";
import { endSession } from "@/db/account.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  DELETE: {
    summary: "End one of the account's sessions (its token stops working)",
    auth: "user",
    status: 204,
  },
});

export const handler = {
  async DELETE(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const id = parseId(ctx.params.id, "session");
    if (!(await endSession(user.id, id))) throw new HttpError(404, "session not found");
    return new Response(null, { status: 204 });
  },
};

import { defineApi } from "../../../../lib/api.ts";
import { requireUser } from "../../../../lib/auth.ts";
import { HttpError } from "../../../../lib/http_error.ts";
import { parseId } from "../../../../lib/validate.ts";
import { endSession } from "../../../../db/account.ts";
import type { FreshContext } from "../../../../fresh/types.ts";
import type { AppState } from "../../../../lib/state.ts";

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

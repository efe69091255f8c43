import { defineApi } from "@/web/api.ts";
import { requireAdmin } from "@/services/accounts/admin.ts";
import { MailboxOut, UpdateMailbox } from "@/core/outreach_schemas.ts";
import { parseId, parseJson } from "@/core/validate.ts";
import { deleteMailbox, updateMailbox } from "@/db/mailbox_admin.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  PATCH: {
    summary: "Change a mailbox's cap, warm-up or status (pause and resume); the password is never returned",
    auth: "admin",
    body: UpdateMailbox,
    response: MailboxOut,
  },
  DELETE: {
    summary: "Delete a mailbox that never sent (409 otherwise: pause it instead)",
    auth: "admin",
    status: 204,
  },
});

export const handler = {
  async PATCH(ctx: FreshContext<AppState>) {
    requireAdmin(ctx.state.app, ctx.req);
    const id = parseId(ctx.params.id, "mailbox");
    return Response.json(await updateMailbox(id, await parseJson(ctx.req, api.PATCH.body)));
  },
  async DELETE(ctx: FreshContext<AppState>) {
    requireAdmin(ctx.state.app, ctx.req);
    await deleteMailbox(parseId(ctx.params.id, "mailbox"));
    return new Response(null, { status: 204 });
  },
};

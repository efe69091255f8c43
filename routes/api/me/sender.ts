import { z } from "zod";
import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { Email } from "@/core/outreach_schemas.ts";
import { parseJson } from "@/core/validate.ts";
import { getSenderSettings, putSenderSettings } from "@/db/sender_settings.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

const SenderOut = z.object({ from_name: z.string(), reply_to: z.string().nullable() });

export const api = defineApi({
  GET: {
    summary: 'How outreach presents the sender: From "<from_name>" <mailbox>, and the optional Reply-To',
    auth: "user",
    response: SenderOut,
  },
  PUT: {
    summary:
      "Set or clear (null) the Reply-To of the caller's outreach. Replies sent there bypass the inbound " +
      "route, so they do not stop a sequence by themselves",
    auth: "user",
    body: z.strictObject({ reply_to: Email.nullable() }),
    response: SenderOut,
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    return Response.json(await getSenderSettings(user.id));
  },
  async PUT(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const input = await parseJson(ctx.req, api.PUT.body);
    return Response.json(await putSenderSettings(user.id, input));
  },
};

import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { Email } from "@/core/outreach_schemas.ts";
import { getSenderSettings, putSenderSettings } from "@/db/sender_settings.ts";

const SenderOut = z.object({ from_name: z.string(), reply_to: z.string().nullable() });

export const { handler, api } = defineRoute({
  GET: op({
    summary: 'How outreach presents the sender: From "<from_name>" <mailbox>, and the optional Reply-To',
    auth: "user",
    response: SenderOut,
    handler: (_ctx, { app, user }) => getSenderSettings(app.sql, user.id),
  }),
  PUT: op({
    summary:
      "Set or clear (null) the Reply-To of the caller's outreach. Replies sent there bypass the inbound " +
      "route, so they do not stop a sequence by themselves",
    auth: "user",
    body: z.strictObject({ reply_to: Email.nullable() }),
    response: SenderOut,
    handler: (_ctx, { app, user, body }) => putSenderSettings(app.sql, user.id, body),
  }),
});

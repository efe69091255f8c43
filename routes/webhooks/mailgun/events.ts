import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { EventWebhook, handleEventWebhook } from "@/services/inbound/mailgun_webhooks.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary: "Mailgun event webhook (delivered, failed, opened, clicked, complained, unsubscribed); signed",
    // The signature is checked by handleEventWebhook on the raw body, before anything is parsed.
    auth: "webhook",
    body: EventWebhook,
    response: z.object({ ok: z.literal(true), result: z.string(), event: z.string() }),
    handler: async (ctx, { app }) => ({ ok: true as const, ...(await handleEventWebhook(app, ctx.req)) }),
  }),
});

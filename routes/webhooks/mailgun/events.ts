import { z } from "zod";
import { defineApi } from "@/web/api.ts";
import { EventWebhook, handleEventWebhook } from "@/services/inbound/mailgun_webhooks.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  POST: {
    summary: "Mailgun event webhook (delivered, failed, opened, clicked, complained, unsubscribed); signed",
    auth: "webhook",
    body: EventWebhook,
    response: z.object({ ok: z.literal(true), result: z.string(), event: z.string() }),
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    return Response.json({ ok: true, ...(await handleEventWebhook(ctx.req)) });
  },
};

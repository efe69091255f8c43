import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { handleInboundWebhook } from "@/services/inbound/mailgun_webhooks.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary:
      "Mailgun inbound route forward(): classified (human, auto_reply, bounce, other), stored, matched " +
      "by In-Reply-To/References or a bounce report's Message-ID/Final-Recipient, and acted on; signed",
    // The form is streamed by handleInboundWebhook, which refuses it as soon as its signature fields fail.
    auth: "webhook",
    bodyType: "multipart/form-data",
    body: z.object({
      timestamp: z.string(),
      token: z.string(),
      signature: z.string(),
      "In-Reply-To": z.string().optional(),
      References: z.string().optional(),
      "message-headers": z.string().optional(),
      sender: z.string().optional(),
      "stripped-text": z.string().optional(),
      "body-plain": z.string().optional(),
      "body-mime": z.string().optional(),
      subject: z.string().optional(),
      from: z.string().optional(),
    }),
    response: z.object({
      ok: z.literal(true),
      result: z.string(),
      outreach_id: z.number(),
      kind: z.enum(["human", "auto_reply", "bounce", "other"]),
      action: z.string(),
      /** The stored message's id (inbound_messages is a bigserial: a string, as every int8). */
      inbound_id: z.string(),
    }),
    handler: async (ctx, { app }) => ({ ok: true as const, ...(await handleInboundWebhook(app, ctx.req)) }),
  }),
});

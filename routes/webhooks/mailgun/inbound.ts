import { z } from "zod";
import { defineApi } from "@/web/api.ts";
import { handleInboundWebhook } from "@/services/inbound/mailgun_webhooks.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  POST: {
    summary:
      "Mailgun inbound route forward(): classified (human, auto_reply, bounce, other), stored, matched " +
      "by In-Reply-To/References or a bounce report's Message-ID/Final-Recipient, and acted on; signed",
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
      inbound_id: z.number(),
    }),
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    return Response.json({ ok: true, ...(await handleInboundWebhook(ctx.req)) });
  },
};

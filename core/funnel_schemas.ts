/** The funnel API's query and answer (contract §6, `GET /api/sequences/:id/funnel`). */
import { z } from "zod";
import { FUNNEL_WINDOWS } from "./funnel_format.ts";

export const FunnelQuery = z.strictObject({
  window: z.enum(FUNNEL_WINDOWS, { error: "window must be one of 7d, 30d, 90d, all" }).default("30d"),
  format: z.enum(["json", "csv"], { error: "format must be json or csv" }).default("json"),
});

const Rate = z.object({ value: z.number(), low: z.number(), high: z.number() });

export const FunnelOut = z.object({
  window: z.enum(FUNNEL_WINDOWS),
  steps: z.array(z.object({
    step_no: z.number().int(),
    variants: z.array(z.object({
      variant: z.string().nullable(),
      queued: z.number().int(),
      sent: z.number().int(),
      delivered: z.number().int(),
      opened: z.number().int(),
      clicked: z.number().int(),
      replied: z.number().int(),
      bounced: z.number().int(),
      unsubscribed: z.number().int(),
      reply_rate: Rate,
    })),
    winner: z.object({ variant: z.string(), p_value: z.number() }).nullable(),
    verdict: z.string(),
  })),
});

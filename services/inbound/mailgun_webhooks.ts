/**
 * Mailgun's event and inbound webhooks (contract §3), verified before the
 * expensive work:
 *   no signing key -> 503; bad signature or a timestamp more than 5 minutes
 *   away -> 406; a token seen before (stored in PostgreSQL, so every app
 *   process knows it) -> 406; an unknown event or outreach -> 406.
 * A verified token is claimed on first sight, whatever the outcome, so one
 * signature can never be replayed with another body. The inbound form is
 * streamed (core/form_stream.ts): an unsigned or forged one is refused as soon
 * as its signature fields have streamed by, and a large one costs only the
 * fields kept. 406 tells Mailgun not to retry.
 */
import { z } from "zod";
import type { AppContext } from "@/services/app_context.ts";
import {
  applyMailgunEvent,
  claimWebhookToken,
  type EventName,
  findEventTarget,
} from "@/db/outreach_events.ts";
import { readFormFields } from "@/core/form_stream.ts";
import { processInbound } from "./inbound_mail.ts";
import { HttpError } from "@/core/http_error.ts";
import { storableCopy } from "@/core/text_guard.ts";
import { readBody } from "@/core/validate.ts";
import { verifySignature } from "@/core/webhook_signature.ts";

const HANDLED: EventName[] = ["delivered", "failed", "opened", "clicked", "complained", "unsubscribed"];

export const EventWebhook = z.object({
  // Mailgun documents the timestamp as a string; some senders post it as a number (accepted, signed as text).
  signature: z.object({
    timestamp: z.union([z.string(), z.number().transform(String)]),
    token: z.string(),
    signature: z.string(),
  }),
  "event-data": z.object({
    event: z.string(),
    id: z.string().max(255).optional(),
    timestamp: z.number().optional(),
    severity: z.string().optional(),
    reason: z.string().max(100).optional(),
    "client-info": z.object({ bot: z.unknown().optional() }).passthrough().optional(),
    "user-variables": z.record(z.string(), z.unknown()).optional(),
    message: z.object({ headers: z.object({ "message-id": z.string().max(998).optional() }).passthrough() })
      .passthrough().optional(),
  }).passthrough(),
});

const refuse = (message: string) => new HttpError(406, message, { code: "not_acceptable" });

function signingKey(app: AppContext): string {
  const key = app.config.mailgunWebhookSigningKey;
  if (!key) throw new HttpError(503, "webhooks are off: MAILGUN_WEBHOOK_SIGNING_KEY is not set");
  return key;
}

/** Checks the signature, then claims its token at once (before any other outcome is decided). */
async function verify(
  app: AppContext,
  key: string,
  fields: { timestamp?: unknown; token?: unknown; signature?: unknown },
) {
  const nowSeconds = Math.floor(app.clock.now().getTime() / 1000);
  const check = await verifySignature(key, fields as Record<string, string>, nowSeconds);
  if (!check.ok) throw refuse(`signature ${check.reason}`);
  if (!(await claimWebhookToken(app.sql, fields.token as string))) throw refuse("signature already used");
  return fields.token as string;
}

/** The event webhook's JSON body limit (Mailgun's event payloads are a few KB). */
export const EVENT_BODY_LIMIT = 1024 * 1024;

/**
 * The inbound form: Mailgun accepts messages up to 25 MB, posted as a form with the attachments; only text
 * fields are kept, each cut at 256 KiB, 2 MiB and 200 fields in all.
 */
export const INBOUND_LIMITS = {
  maxBodyBytes: 25 * 1024 * 1024,
  maxFieldBytes: 256 * 1024,
  maxKeptBytes: 2 * 1024 * 1024,
  maxFields: 200,
};

/** `POST /webhooks/mailgun/events`: answers what was done ("applied" or "duplicate"). */
export async function handleEventWebhook(
  app: AppContext,
  req: Request,
): Promise<{ result: string; event: string }> {
  const key = signingKey(app);
  let json: unknown;
  try {
    json = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(await readBody(req, EVENT_BODY_LIMIT)),
    );
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw refuse("body must be Mailgun's event JSON");
  }
  const signature = EventWebhook.shape.signature.safeParse((json as { signature?: unknown })?.signature);
  if (!signature.success) throw refuse("signature missing");
  await verify(app, key, signature.data);
  // Provider data is kept as sent, less what PostgreSQL cannot store (NUL, lone surrogates).
  const parsed = EventWebhook.safeParse(storableCopy(json));
  if (!parsed.success) throw refuse("unknown event data");
  const data = parsed.data["event-data"];
  if (!HANDLED.includes(data.event as EventName)) throw refuse(`event ${data.event} is not handled`);
  const outreachToken = data["user-variables"]?.outreach;
  const target = await findEventTarget(
    app.sql,
    typeof outreachToken === "string" ? outreachToken : undefined,
    data.message?.headers["message-id"],
  );
  if (!target) throw refuse("no outreach matches this event");
  const now = app.clock.now();
  const occurredAt = data.timestamp && Number.isFinite(data.timestamp) && data.timestamp > 0
    ? new Date(Math.min(data.timestamp * 1000, now.getTime() + 300_000))
    : now;
  const result = await applyMailgunEvent(app.sql, target, {
    event: data.event as EventName,
    severity: data.severity,
    reason: data.reason,
    bot: isBot(data["client-info"]?.bot),
    eventId: data.id,
    occurredAt,
    payload: data,
  });
  return { result, event: data.event };
}

/** Mailgun's `client-info.bot`: a non-empty name (`apple`, `gmail`, a scanner) or true means not a person. */
function isBot(value: unknown): boolean {
  return value === true || (typeof value === "string" && value !== "" && value !== "false");
}

/** Every `<message-id>` in In-Reply-To, References and message-headers, newest first. */
export function referencedMessageIds(fields: Record<string, string>): string[] {
  const sources = [
    fields["In-Reply-To"] ?? fields["in-reply-to"] ?? "",
    fields.References ?? fields.references ?? "",
  ];
  try {
    const headers = JSON.parse(fields["message-headers"] ?? "[]");
    if (Array.isArray(headers)) {
      for (const pair of headers) {
        if (Array.isArray(pair) && /^(in-reply-to|references)$/i.test(String(pair[0]))) {
          sources.push(String(pair[1]));
        }
      }
    }
  } catch { /* a malformed message-headers field only loses that source */ }
  const ids = new Set<string>();
  for (const source of sources) {
    for (const match of source.matchAll(/<[^<>\s\0]{1,900}>/g)) ids.add(match[0].toWellFormed());
  }
  return [...ids].reverse().slice(0, 100);
}

/** `POST /webhooks/mailgun/inbound`: a reply, an auto-reply, a bounce notice or other mail (services/inbound/inbound_mail.ts). */
export async function handleInboundWebhook(
  app: AppContext,
  req: Request,
): Promise<{ result: string; outreach_id: number }> {
  const key = signingKey(app);
  let token: string | undefined;
  let fields: Record<string, string>;
  try {
    fields = await readFormFields(req, INBOUND_LIMITS, async (seen) => {
      // Verified (and refused) as soon as the three signature fields have streamed by.
      if (token === undefined && "timestamp" in seen && "token" in seen && "signature" in seen) {
        token = await verify(app, key, seen);
      }
    });
  } catch (error) {
    if (error instanceof HttpError && error.status !== 400) throw error;
    throw refuse("body must be Mailgun's inbound form");
  }
  token ??= await verify(app, key, fields);
  fields = storableCopy(fields) as Record<string, string>;
  // Classified, matched, stored and acted on by kind (issue 11): services/inbound/inbound_mail.ts. The signature token was
  // claimed by `verify`.
  return await processInbound(app, fields, referencedMessageIds(fields));
}

/**
 * Mailgun's event and inbound webhooks (contract §3), verified before anything
 * is read or written:
 *   no signing key -> 503; bad signature or a timestamp more than 5 minutes
 *   away -> 406; a token seen before (stored in PostgreSQL, so every app
 *   process knows it) -> 406; an unknown event or outreach -> 406.
 * Every refusal happens before the first write, so a refused request changes
 * nothing. 406 tells Mailgun not to retry.
 */
import { z } from "zod";
import { config } from "../fresh.config.ts";
import {
  applyMailgunEvent,
  claimToken,
  type EventName,
  findEventTarget,
  isWebhookTokenSeen,
} from "../db/outreach_events.ts";
import { processInbound } from "./inbound_mail.ts";
import { HttpError } from "./http_error.ts";
import { readBody } from "./validate.ts";
import { verifySignature } from "./webhook_signature.ts";

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

function signingKey(): string {
  const key = config().mailgunWebhookSigningKey;
  if (!key) throw new HttpError(503, "webhooks are off: MAILGUN_WEBHOOK_SIGNING_KEY is not set");
  return key;
}

async function verify(key: string, fields: { timestamp?: unknown; token?: unknown; signature?: unknown }) {
  const check = await verifySignature(key, fields as Record<string, string>);
  if (!check.ok) throw refuse(`signature ${check.reason}`);
  if (await isWebhookTokenSeen(fields.token as string)) throw refuse("signature already used");
  return fields.token as string;
}

/** `POST /webhooks/mailgun/events`: answers what was done ("applied" or "duplicate"). */
export async function handleEventWebhook(req: Request): Promise<{ result: string; event: string }> {
  const key = signingKey();
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(await readBody(req, 1024 * 1024)));
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw refuse("body must be Mailgun's event JSON");
  }
  const parsed = EventWebhook.safeParse(json);
  if (!parsed.success) {
    const signature = (json as { signature?: unknown })?.signature;
    // Without a signature it is forged whatever else is wrong; with one, the data is unknown.
    throw refuse(signature ? "unknown event data" : "signature missing");
  }
  const token = await verify(key, parsed.data.signature);
  const data = parsed.data["event-data"];
  if (!HANDLED.includes(data.event as EventName)) throw refuse(`event ${data.event} is not handled`);
  const outreachToken = data["user-variables"]?.outreach;
  const target = await findEventTarget(
    typeof outreachToken === "string" ? outreachToken : undefined,
    data.message?.headers["message-id"],
  );
  if (!target) throw refuse("no outreach matches this event");
  const occurredAt = data.timestamp && Number.isFinite(data.timestamp) && data.timestamp > 0
    ? new Date(Math.min(data.timestamp * 1000, Date.now() + 300_000))
    : new Date();
  const result = await applyMailgunEvent(token, target, {
    event: data.event as EventName,
    severity: data.severity,
    reason: data.reason,
    bot: isBot(data["client-info"]?.bot),
    eventId: data.id,
    occurredAt,
    payload: stripNul(data),
  });
  if (result === "replay") throw refuse("signature already used");
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
  for (const source of sources) for (const match of source.matchAll(/<[^<>\s]{1,900}>/g)) ids.add(match[0]);
  return [...ids].reverse().slice(0, 100);
}

/** `POST /webhooks/mailgun/inbound`: a reply, an auto-reply, a bounce notice or other mail (lib/inbound_mail.ts). */
export async function handleInboundWebhook(req: Request): Promise<{ result: string; outreach_id: number }> {
  const key = signingKey();
  const type = req.headers.get("content-type") ?? "";
  let fields: Record<string, string>;
  try {
    const body = await readBody(req, 25 * 1024 * 1024);
    const form = await new Response(body as Uint8Array<ArrayBuffer>, { headers: { "content-type": type } })
      .formData();
    fields = {};
    for (const [name, value] of form) if (typeof value === "string") fields[name] = value;
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw refuse("body must be Mailgun's inbound form");
  }
  const token = await verify(key, fields);
  // Classified, matched, stored and acted on by kind (issue 11): lib/inbound_mail.ts.
  const clean = stripNul(fields) as Record<string, string>;
  return await processInbound(clean, referencedMessageIds(clean), (tx) => claimToken(tx, token));
}

/** PostgreSQL refuses NUL in jsonb: drop them from what is stored verbatim. */
function stripNul(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null).replaceAll("\\u0000", ""));
}

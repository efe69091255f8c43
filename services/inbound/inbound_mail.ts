/**
 * What the inbound webhook does once the signature is verified (issue 11): read Mailgun's `forward()` fields
 * into a message, classify it (core/mail/inbound_classify.ts), find the outreach it is about, then store it and
 * act on its kind (db/inbound_messages.ts). Called from one line of `handleInboundWebhook`.
 *
 * Matching: any `<id>` in In-Reply-To, References (fields or `message-headers`, as the handler reads them) against our own Message-ID or
 * Mailgun's; for a bounce notice also the original Message-ID of its report part, then its Final-Recipient.
 * An auto-reply that references nothing is matched by its sender when only one application mailed that
 * address in the last 14 days. The report parts come from `body-mime` when the route forwards the whole MIME message (a Mailgun route whose
 * URL ends in `mime`), else from the text of `body-plain` (Postfix and Exim repeat them there).
 */
import { storableCopy } from "@/core/text_guard.ts";
import type { Sql, Tx } from "@/db/client.ts";
import type { AppContext } from "@/services/app_context.ts";
import {
  findOutreachByMessageIds,
  findOutreachByRecipient,
  findOutreachBySender,
  type InboundMatch,
  type InboundResult,
  storeInbound,
} from "@/db/inbound_messages.ts";
import { HttpError } from "@/core/http_error.ts";
import { type Classification, classifyInbound, type InboundPart } from "@/core/mail/inbound_classify.ts";

const refuse = (message: string) => new HttpError(406, message, { code: "not_acceptable" });

/** `message-headers` as pairs; a malformed field gives none. */
export function headerPairs(fields: Record<string, string>): [string, string][] {
  try {
    const parsed = JSON.parse(fields["message-headers"] ?? "[]");
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((p) => Array.isArray(p) && p.length >= 2).slice(0, 500)
      .map((p) => [String(p[0]).slice(0, 200), String(p[1]).slice(0, 8000)]);
  } catch {
    return [];
  }
}

/**
 * The parts of a MIME message that a bounce report needs (`message/delivery-status`, `text/rfc822-headers`,
 * `message/rfc822`), split on every boundary the message declares. Enough for reports, not a MIME library.
 */
export function reportParts(mime: string): InboundPart[] {
  // A report has two or three levels of parts; a few boundaries are plenty (and keep the regex small).
  const boundaries = [...new Set([...mime.matchAll(/boundary="?([^";\r\n]{1,200})"?/gi)].map((m) => m[1]))]
    .slice(0, 8);
  if (!boundaries.length) return [];
  const escaped = boundaries.map((b) => b.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const chunks = mime.split(new RegExp(`\\r?\\n--(?:${escaped.join("|")})(?:--)?[ \\t]*(?=\\r?\\n|$)`));
  const parts: InboundPart[] = [];
  for (const chunk of chunks) {
    const split = /\r?\n\r?\n/.exec(chunk);
    if (!split) continue;
    const head = chunk.slice(0, split.index);
    const type = /^content-type:\s*([^;\r\n]+)/im.exec(head)?.[1]?.trim().toLowerCase();
    if (type && /delivery-status|rfc822/.test(type)) {
      parts.push({
        contentType: type,
        text: chunk.slice(split.index + split[0].length, split.index + 64_000),
      });
    }
  }
  return parts;
}

async function findMatch(
  sql: Sql,
  referenced: string[],
  c: Classification,
  sender: string | undefined,
): Promise<InboundMatch | undefined> {
  const byReference = await findOutreachByMessageIds(sql, referenced);
  if (byReference) return { target: byReference, by: "in_reply_to" };
  if (c.kind === "auto_reply" && sender) {
    const bySender = await findOutreachBySender(sql, sender);
    return bySender ? { target: bySender, by: "sender" } : undefined;
  }
  if (c.kind !== "bounce") return undefined;
  const original = c.bounce?.originalMessageId;
  const byOriginal = original ? await findOutreachByMessageIds(sql, [original]) : undefined;
  if (byOriginal) return { target: byOriginal, by: "report_message_id" };
  const byRecipient = c.bounce?.recipient
    ? await findOutreachByRecipient(sql, c.bounce.recipient)
    : undefined;
  return byRecipient ? { target: byRecipient, by: "final_recipient" } : undefined;
}

/**
 * Classifies, matches, stores and applies one verified inbound message. Unmatched mail is stored for review
 * and then refused with 406 (contract §3: Mailgun should not retry it). `claim`: stores the webhook's signature
 * token in the same transaction (false: a concurrent replay).
 */
export async function processInbound(
  app: AppContext,
  fields: Record<string, string>,
  /** The `<id>`s of In-Reply-To and References (`referencedMessageIds`), newest first. */
  referenced: string[],
  claim?: (tx: Tx) => Promise<boolean>,
): Promise<{ result: string; kind: string; outreach_id: number; action: string; inbound_id: string }> {
  // message-headers is JSON: a "\u0000" in it becomes a NUL once parsed, which PostgreSQL refuses.
  const headers = storableCopy(headerPairs(fields)) as [string, string][];
  const header = (name: string) => headers.find(([k]) => k.toLowerCase() === name)?.[1];
  const mime = fields["body-mime"];
  const classification = classifyInbound({
    headers,
    sender: fields.sender,
    subject: fields.subject ?? header("subject"),
    text: (fields["body-plain"] ?? fields["stripped-text"] ?? "").slice(0, 200_000),
    parts: mime ? reportParts(mime.slice(0, 2_000_000)) : [],
  });
  const fromRaw = fields.from ?? header("from") ?? "";
  const fromAddress = /<([^<>\s]+@[^<>\s]+)>/.exec(fromRaw)?.[1] ??
    /^\s*([^<>\s]+@[^<>\s]+)\s*$/.exec(fromRaw)?.[1] ??
    /^\s*([^<>\s]+@[^<>\s]+)\s*$/.exec(fields.sender ?? "")?.[1];
  const match = await findMatch(app.sql, referenced, classification, fromAddress);
  const messageId = header("message-id") ?? fields["Message-Id"] ?? fields["message-id"];
  const stored = await storeInbound(
    app.sql,
    {
      classification,
      messageId: /<[^<>\s]{1,900}>/.exec(messageId ?? "")?.[0] ?? messageId?.slice(0, 998),
      sender: fields.sender,
      from: fields.from ?? header("from"),
      subject: fields.subject ?? header("subject"),
      inReplyTo: fields["In-Reply-To"] ?? header("in-reply-to"),
      references: fields.References ?? header("references"),
      strippedText: fields["stripped-text"] ?? fields["body-plain"],
      rawHeaders: headers,
    },
    match,
    { autoReplyDelayDays: app.config.autoReplyDelayDays, claim },
  );
  if (stored === "replay") throw refuse("signature already used");
  if (!match) throw refuse(`no outreach matches this ${classification.kind} message; stored for review`);
  return answer(stored, classification, match);
}

function answer(stored: InboundResult, c: Classification, match: InboundMatch) {
  return {
    result: stored.result,
    kind: c.kind,
    outreach_id: match.target.id,
    action: stored.action,
    inbound_id: stored.id,
  };
}

/**
 * The Mailgun transport (contract §5): one `POST {MAILGUN_URL}/v3/{domain}/messages`
 * per outreach, and the Events API (`GET /v3/{domain}/events`, its documented
 * `message-id` filter, every page) to find a message whose fate a crash left unknown.
 *
 * Sends use the runtime's own `fetch` with the same multipart form mailgun.js
 * builds (`from`, `to`, `subject`, `text`, `v:outreach`, `h:*`; Basic auth
 * `api:<key>`), serialized by `multipart`: mailgun.js goes through axios and
 * Node's http layer, which cost about as much CPU per message as the rest of the
 * dispatcher (measured to the loopback fake, 16 in flight: mailgun.js 1,100-2,000,
 * fetch + FormData 1,900-2,150, fetch + `multipart` 3,000 requests/s). `classifyFetchFailure`
 * sorts what can go wrong: an HTTP answer is temporary (420, 429, 5xx) or permanent (other
 * 4xx); a connection that was never established is temporary; anything else (timeout,
 * reset, an answer we cannot read) is uncertain.
 *
 * Trap (mailgun.js 14, no longer used here; `classifyError` stays for its error shape): a network failure (no HTTP answer) is
 * thrown as an APIError with status 400 and the error code (`ECONNRESET`,
 * `ECONNABORTED`, ...) as its message, so a 400 is only a real refusal when the
 * message is not such a code. See `classifyError`.
 */
import { formatFrom, threadHeaders } from "@/core/mail/compose.ts";
import type {
  LookupOutcome,
  OutgoingMessage,
  SendingMailbox,
  SendOutcome,
  Transport,
} from "@/core/mail/types.ts";

export interface MailgunOptions {
  apiKey: string;
  url: string;
  /** Per request, milliseconds. */
  timeoutMs?: number;
}

/** Codes for which the request certainly never reached Mailgun. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** Maps a mailgun.js error to the dispatcher's outcomes. */
export function classifyError(error: unknown): Exclude<SendOutcome, { kind: "sent" }> {
  const e = error as { status?: number; message?: string; details?: unknown };
  const code = String(e?.message ?? "");
  const detail = typeof e?.details === "string" && e.details ? e.details : code;
  const networkCode = /^(E[A-Z_]+|ERR_[A-Z_]+)$/.test(code) ? code : undefined;
  if (networkCode || typeof e?.status !== "number") {
    const kind = networkCode && NOT_SENT_CODES.has(networkCode) ? "temporary" : "uncertain";
    return { kind, error: `network: ${networkCode ?? code} ${detail === code ? "" : detail}`.trim() };
  }
  const status = e.status;
  const message = `mailgun ${status}: ${detail}`.slice(0, 500);
  if (status === 420 || status === 429 || status >= 500) return { kind: "temporary", error: message, status };
  return { kind: "permanent", error: message, status };
}

/**
 * Maps an HTTP error answer of the messages endpoint (`body`: its text, Mailgun's JSON `{message}` or plain).
 * 420 (Mailgun: "Domain ... is not allowed to send: ... limit exceeded, try again after <time>"), 429 and 5xx
 * are temporary; a time in the answer ("try again after <date>", or a Retry-After header) becomes `retryAt`.
 */
export function classifyHttpFailure(
  status: number,
  body: string,
  retryAfterHeader?: string | null,
  now: Date = new Date(),
): Exclude<SendOutcome, { kind: "sent" }> {
  let detail = body.trim();
  try {
    const parsed = JSON.parse(detail);
    if (typeof parsed?.message === "string" && parsed.message) detail = parsed.message;
  } catch {
    // plain text answer
  }
  const message = `mailgun ${status}: ${detail || "(no body)"}`.slice(0, 500);
  if (status === 420 || status === 429 || status >= 500) {
    const retryAt = retryTime(detail, retryAfterHeader, now);
    return { kind: "temporary", error: message, status, ...(retryAt ? { retryAt } : {}) };
  }
  return { kind: "permanent", error: message, status };
}

/**
 * When a temporary refusal says to try again: "try again after <RFC 2822 or ISO date>" or "... in N
 * seconds/minutes/hours" in the text, else a Retry-After header (seconds or an HTTP date). A time in the past
 * or more than two days ahead is ignored (the usual backoff applies).
 */
export function retryTime(
  text: string,
  retryAfterHeader?: string | null,
  now: Date = new Date(),
): Date | undefined {
  const candidates: number[] = [];
  const after = /try again (?:after|at)\s+([^"\n]+?)(?:\.\s|\.?$|"|\))/i.exec(text)?.[1];
  if (after) candidates.push(Date.parse(after.trim()));
  const within = /(?:try again|retry) in (\d+) ?(second|sec|minute|min|hour|h)s?\b/i.exec(text);
  if (within) {
    const unit = /^h/i.test(within[2]) ? 3600_000 : /^m/i.test(within[2]) ? 60_000 : 1000;
    candidates.push(now.getTime() + Number(within[1]) * unit);
  }
  if (retryAfterHeader) {
    candidates.push(
      /^\d+$/.test(retryAfterHeader.trim())
        ? now.getTime() + Number(retryAfterHeader.trim()) * 1000
        : Date.parse(retryAfterHeader),
    );
  }
  const at = candidates.find((t) =>
    Number.isFinite(t) && t > now.getTime() && t < now.getTime() + 2 * 86_400_000
  );
  return at === undefined ? undefined : new Date(at);
}

/**
 * Maps an error thrown by `fetch` (no HTTP answer). Only a connection that was
 * never established (Deno: "client error (Connect)": refused, DNS, unreachable)
 * is certainly unsent; a timeout, reset or anything unknown may have arrived.
 */
export function classifyFetchFailure(error: unknown): Exclude<SendOutcome, { kind: "sent" }> {
  const e = error as { name?: string; message?: string; cause?: unknown };
  const cause = e?.cause as { message?: string } | undefined;
  const text = `${e?.message ?? String(error)}${cause?.message ? `: ${cause.message}` : ""}`;
  if (e?.name === "TimeoutError" || e?.name === "AbortError") {
    return { kind: "uncertain", error: `network: timeout (${text})`.slice(0, 500) };
  }
  if (/client error \(Connect\)/.test(text)) {
    return { kind: "temporary", error: `network: not connected (${text})`.slice(0, 500) };
  }
  return { kind: "uncertain", error: `network: ${text}`.slice(0, 500) };
}

/**
 * A `multipart/form-data` body as `FormData` would serialize these text fields (line breaks as CRLF), built
 * as one string: the runtime's FormData encoder cost about a third of a send's CPU (measured against the
 * loopback fake: 2,100 vs 3,000 requests/s). The boundary is random per message, so no value contains it.
 */
export function multipart(fields: [string, string][]): { body: string; contentType: string } {
  const boundary = `----RoleFerry${crypto.randomUUID().replaceAll("-", "")}`;
  let body = "";
  for (const [name, value] of fields) {
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${
      value.replace(/\r\n|\r|\n/g, "\r\n")
    }\r\n`;
  }
  return { body: `${body}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * A Mailgun transport.
 *
 * @example
 * const transport = mailgunTransport({ apiKey, url: "https://api.mailgun.net" });
 */
export function mailgunTransport(options: MailgunOptions): Transport {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const base = options.url.replace(/\/+$/, "");
  const authorization = `Basic ${btoa(`api:${options.apiKey}`)}`;
  return {
    name: "mailgun",
    canLookUp: true,
    async send(message: OutgoingMessage): Promise<SendOutcome> {
      const thread = threadHeaders(message.thread);
      const fields: [string, string][] = [
        ["from", formatFrom(message.mailbox.email, message.fromName)],
        ["to", message.to],
        ["subject", message.subject],
        ["text", message.text],
        ["v:outreach", message.token],
        ["h:List-Unsubscribe", `<${message.unsubscribeUrl}>`],
        ["h:List-Unsubscribe-Post", "List-Unsubscribe=One-Click"],
      ];
      if (message.messageId) fields.push(["h:Message-Id", message.messageId]);
      if (thread.inReplyTo) {
        fields.push(["h:In-Reply-To", thread.inReplyTo], ["h:References", thread.references!]);
      }
      if (message.replyTo) fields.push(["h:Reply-To", message.replyTo]);
      const form = multipart(fields);
      let response: Response;
      let body: string;
      try {
        response = await fetch(`${base}/v3/${encodeURIComponent(message.mailbox.domain)}/messages`, {
          method: "POST",
          headers: { authorization, "content-type": form.contentType },
          body: form.body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = await response.text();
      } catch (error) {
        return classifyFetchFailure(error);
      }
      if (!response.ok) {
        return classifyHttpFailure(response.status, body, response.headers.get("retry-after"));
      }
      let id: unknown;
      try {
        id = JSON.parse(body)?.id;
      } catch {
        id = undefined;
      }
      if (typeof id !== "string" || !id) {
        return { kind: "uncertain", error: "mailgun answered without a message id" };
      }
      return { kind: "sent", messageId: id };
    },
    /**
     * Mailgun's Events API (`GET /v3/{domain}/events`) with its documented `message-id` filter when the
     * message has our own Message-ID, `event=accepted` from the attempt on, 300 a page, following
     * `paging.next` until a page comes back empty. Each item is checked here too (its Message-ID or its
     * `v:outreach`), so a filter Mailgun ignored can only cost pages, never give a wrong answer. A page that
     * cannot be read, or more pages than `MAX_LOOKUP_PAGES`, answers `unknown`: the row stays held.
     */
    async lookup(
      token: string,
      mailbox: SendingMailbox,
      since: Date,
      messageId?: string,
    ): Promise<LookupOutcome> {
      const bare = messageId?.replace(/^<|>$/g, "");
      const params = new URLSearchParams({
        event: "accepted",
        begin: String(Math.floor(since.getTime() / 1000) - 60),
        ascending: "yes",
        limit: "300",
      });
      if (bare) params.set("message-id", bare);
      let url = `${base}/v3/${encodeURIComponent(mailbox.domain)}/events?${params}`;
      for (let page = 0; page < MAX_LOOKUP_PAGES; page++) {
        let items: MailgunEventItem[];
        let next: unknown;
        try {
          const response = await fetch(url, {
            headers: { authorization },
            signal: AbortSignal.timeout(timeoutMs),
          });
          const text = await response.text();
          if (!response.ok) {
            return { kind: "unknown", error: classifyHttpFailure(response.status, text).error };
          }
          const json = JSON.parse(text);
          if (!Array.isArray(json?.items)) {
            return { kind: "unknown", error: "mailgun events: no items in the answer" };
          }
          items = json.items;
          next = json.paging?.next;
        } catch (error) {
          return { kind: "unknown", error: classifyFetchFailure(error).error };
        }
        if (!items.length) return { kind: "absent" };
        for (const item of items) {
          if (item.event !== "accepted") continue;
          const id = item.message?.headers?.["message-id"]?.replace(/^<|>$/g, "");
          if ((bare && id === bare) || item["user-variables"]?.outreach === token) {
            if (!id) return { kind: "unknown", error: "accepted event without a message id" };
            return { kind: "found", messageId: `<${id}>` };
          }
        }
        if (typeof next !== "string" || !next) return { kind: "absent" };
        const nextUrl = new URL(next, base);
        url = `${base}${nextUrl.pathname}${nextUrl.search}`; // the key goes only to the configured host
      }
      return {
        kind: "unknown",
        error: `mailgun events: more than ${MAX_LOOKUP_PAGES} pages; not sure it is absent`,
      };
    },
  };
}

/** Pages of 300 events read at most per lookup (a found message is usually on the first). */
export const MAX_LOOKUP_PAGES = 50;

interface MailgunEventItem {
  event?: string;
  "user-variables"?: Record<string, unknown>;
  message?: { headers?: Record<string, string | undefined> };
}

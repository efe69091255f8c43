/**
 * The Mailgun transport (contract §5): one `POST {MAILGUN_URL}/v3/{domain}/messages`
 * per outreach, and the events API (mailgun.js) to find a message whose fate a
 * crash left unknown.
 *
 * Sends use the runtime's own `fetch` with the same multipart form mailgun.js
 * builds (`from`, `to`, `subject`, `text`, `v:outreach`, `h:*`; Basic auth
 * `api:<key>`), serialized by `multipart`: mailgun.js goes through axios and
 * Node's http layer, which cost about as much CPU per message as the rest of the
 * dispatcher (measured to the loopback fake, 16 in flight: mailgun.js 1,100-2,000,
 * fetch + FormData 1,900-2,150, fetch + `multipart` 3,000 requests/s). `classifyFetchFailure`
 * sorts what can go wrong: an HTTP answer is temporary (429, 5xx) or permanent (other
 * 4xx); a connection that was never established is temporary; anything else (timeout,
 * reset, an answer we cannot read) is uncertain.
 *
 * Trap (mailgun.js 14, still used for lookups): a network failure (no HTTP answer) is
 * thrown as an APIError with status 400 and the error code (`ECONNRESET`,
 * `ECONNABORTED`, ...) as its message, so a 400 is only a real refusal when the
 * message is not such a code. See `classifyError`.
 */
import Mailgun from "mailgun.js";
import type { LookupOutcome, OutgoingMessage, SendingMailbox, SendOutcome, Transport } from "./types.ts";

export interface MailgunOptions {
  apiKey: string;
  url: string;
  /** Per request, milliseconds. */
  timeoutMs?: number;
}

type Client = ReturnType<InstanceType<typeof Mailgun>["client"]>;

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
  if (status === 429 || status >= 500) return { kind: "temporary", error: message, status };
  return { kind: "permanent", error: message, status };
}

/** Maps an HTTP error answer of the messages endpoint (`body`: its text, Mailgun's JSON `{message}` or plain). */
export function classifyHttpFailure(status: number, body: string): Exclude<SendOutcome, { kind: "sent" }> {
  let detail = body.trim();
  try {
    const parsed = JSON.parse(detail);
    if (typeof parsed?.message === "string" && parsed.message) detail = parsed.message;
  } catch {
    // plain text answer
  }
  const message = `mailgun ${status}: ${detail || "(no body)"}`.slice(0, 500);
  if (status === 429 || status >= 500) return { kind: "temporary", error: message, status };
  return { kind: "permanent", error: message, status };
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
  const client: Client = new Mailgun(FormData).client({
    username: "api",
    key: options.apiKey,
    url: options.url,
    timeout: timeoutMs,
  });
  const base = options.url.replace(/\/+$/, "");
  const authorization = `Basic ${btoa(`api:${options.apiKey}`)}`;
  return {
    name: "mailgun",
    async send(message: OutgoingMessage): Promise<SendOutcome> {
      const form = multipart([
        ["from", message.mailbox.email],
        ["to", message.to],
        ["subject", message.subject],
        ["text", message.text],
        ["v:outreach", message.token],
        ["h:List-Unsubscribe", `<${message.unsubscribeUrl}>`],
        ["h:List-Unsubscribe-Post", "List-Unsubscribe=One-Click"],
      ]);
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
      if (!response.ok) return classifyHttpFailure(response.status, body);
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
    async lookup(token: string, mailbox: SendingMailbox, since: Date): Promise<LookupOutcome> {
      try {
        const query = {
          event: "accepted",
          begin: String(Math.floor(since.getTime() / 1000) - 60),
          ascending: "yes",
          limit: 10,
          "user-variables": JSON.stringify({ outreach: token }),
        };
        const list = await client.events.get(mailbox.domain, query as Parameters<Client["events"]["get"]>[1]);
        const hit = list.items.find((item) => item["user-variables"]?.outreach === token);
        if (!hit) return { kind: "absent" };
        const id = hit.message?.headers?.["message-id"];
        if (!id) return { kind: "unknown", error: "accepted event without a message id" };
        return { kind: "found", messageId: id.startsWith("<") ? id : `<${id}>` };
      } catch (error) {
        return { kind: "unknown", error: classifyError(error).error };
      }
    },
  };
}

/**
 * The Mailgun transport (contract §5): one `POST {MAILGUN_URL}/v3/{domain}/messages`
 * through mailgun.js per outreach, and the events API to find a message whose
 * fate a crash left unknown.
 *
 * Trap (mailgun.js 14): a network failure (no HTTP answer) is thrown as an
 * APIError with status 400 and the error code (`ECONNRESET`, `ECONNABORTED`,
 * ...) as its message, so a 400 is only a real refusal when the message is not
 * such a code. See `classifyError`.
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

/**
 * A Mailgun transport.
 *
 * @example
 * const transport = mailgunTransport({ apiKey, url: "https://api.mailgun.net" });
 */
export function mailgunTransport(options: MailgunOptions): Transport {
  const client: Client = new Mailgun(FormData).client({
    username: "api",
    key: options.apiKey,
    url: options.url,
    timeout: options.timeoutMs ?? 30_000,
  });
  return {
    name: "mailgun",
    async send(message: OutgoingMessage): Promise<SendOutcome> {
      try {
        const answer = await client.messages.create(message.mailbox.domain, {
          from: message.mailbox.email,
          to: message.to,
          subject: message.subject,
          text: message.text,
          "v:outreach": message.token,
          "h:List-Unsubscribe": `<${message.unsubscribeUrl}>`,
          "h:List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        });
        if (!answer?.id) return { kind: "uncertain", error: "mailgun answered without a message id" };
        return { kind: "sent", messageId: answer.id };
      } catch (error) {
        return classifyError(error);
      }
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

/**
 * System mail (password reset, email verification, account notices): sent from `MAIL_SYSTEM_FROM` through the
 * configured transport, never through the outreach mailbox pool, whose caps, warm-up and reputation belong to
 * users' outreach.
 *
 * - `mailgun`: one `POST {MAILGUN_URL}/v3/{domain of MAIL_SYSTEM_FROM}/messages`;
 * - `smtp`: the server of `MAIL_SYSTEM_SMTP_URL` (outreach uses each mailbox's own server); without it
 *   (allowed outside production) the message is kept in the outbox and a warning is logged;
 * - `outbox`: stored in `outbox_messages` (shown at /dev/outbox), under a `sys-` token.
 *
 * Requests do not wait for the provider: `queueSystemMail` starts the send and tracks it (shutdown and tests
 * wait for it with `settleSystemMail`), so an answer takes the same time whether or not a mail was sent
 * (password reset and sign-up must not reveal which addresses have accounts). A failed send is logged; the
 * user asks again (reset, resend verification).
 */
import { config } from "@/fresh.config.ts";
import { storeOutboxMessage } from "@/db/outbox.ts";
import { sql } from "@/db/client.ts";
import { log } from "@/core/log.ts";
import { multipart } from "./mailgun.ts";
import { trackWork } from "@/app/lifecycle.ts";

export interface SystemMessage {
  to: string;
  subject: string;
  text: string;
  /** What kind of mail, for the log (`password_reset`, `verify_email`, `signup_notice`, ...). */
  kind: string;
}

const pending = new Set<Promise<unknown>>();

/** The bare address of a `Name <addr>` or `addr` sender. */
export function senderAddress(from: string): string {
  const match = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from);
  return (match ? match[1] : from).trim();
}

/** Sends one system message now; answers the provider's message id. Throws on failure. */
export async function sendSystemMail(message: SystemMessage): Promise<string> {
  const cfg = config();
  const from = cfg.mailSystemFrom;
  const address = senderAddress(from);
  const domain = address.slice(address.lastIndexOf("@") + 1);
  if (cfg.mailTransport === "mailgun" && cfg.mailgunApiKey) {
    const form = multipart([
      ["from", from],
      ["to", message.to],
      ["subject", message.subject],
      ["text", message.text],
      ["o:tag", `system-${message.kind}`],
    ]);
    const res = await fetch(`${cfg.mailgunUrl}/v3/${encodeURIComponent(domain)}/messages`, {
      method: "POST",
      headers: {
        authorization: `Basic ${btoa(`api:${cfg.mailgunApiKey}`)}`,
        "content-type": form.contentType,
      },
      body: form.body,
      signal: AbortSignal.timeout(30_000),
    });
    const body = await res.text();
    if (!res.ok) throw new Error(`mailgun ${res.status}: ${body.slice(0, 300)}`);
    return String(JSON.parse(body)?.id ?? "");
  }
  if (cfg.mailTransport === "smtp" && cfg.mailSystemSmtpUrl) {
    const { default: nodemailer } = await import("nodemailer");
    const transporter = nodemailer.createTransport(cfg.mailSystemSmtpUrl);
    try {
      const info = await transporter.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
      return String(info.messageId);
    } finally {
      transporter.close();
    }
  }
  if (cfg.mailTransport === "smtp") {
    log.warn("system mail kept in the outbox: MAIL_SYSTEM_SMTP_URL is not set", { kind: message.kind });
  }
  return await storeOutboxMessage(sql, {
    token: `sys-${crypto.randomUUID()}`,
    messageId: `<${crypto.randomUUID()}@${domain}>`,
    mailboxEmail: address,
    to: message.to,
    subject: message.subject,
    body: message.text,
    headers: { From: from, "X-RoleFerry-System": message.kind },
  });
}

/** Starts sending without making the caller wait; failures are logged, never thrown. */
export function queueSystemMail(message: SystemMessage): void {
  const promise = trackWork(() => sendSystemMail(message)).catch((error) => {
    log.error("system mail failed", { kind: message.kind, error: (error as Error).message });
  });
  pending.add(promise);
  promise.finally(() => pending.delete(promise));
}

/** Waits until every queued system message has been handed to the transport (tests, shutdown). */
export async function settleSystemMail(): Promise<void> {
  while (pending.size) await Promise.allSettled([...pending]);
}

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
 * Requests do not wait for the provider: `queueSystemMail` starts the send on the app's `SystemMailQueue`
 * (`app.systemMail`, one per app context), which tracks it (shutdown and tests wait for it with
 * `settleSystemMail`), so an answer takes the same time whether or not a mail was sent (password reset and
 * sign-up must not reveal which addresses have accounts). A failed send is logged; the user asks again
 * (reset, resend verification).
 */
import type { Config } from "@/fresh.config.ts";
import type { Sql } from "@/db/client.ts";
import type { Logger } from "@/core/log.ts";
import { storeOutboxMessage } from "@/db/outbox.ts";
import type { AppContext } from "@/services/app_context.ts";
import { multipart } from "./mailgun.ts";

/** What sending system mail needs: the configuration, the pool (outbox) and the log. */
export interface SystemMailContext {
  readonly config: Config;
  readonly sql: Sql;
  readonly log: Logger;
}

export interface SystemMessage {
  to: string;
  subject: string;
  text: string;
  /** What kind of mail, for the log (`password_reset`, `verify_email`, `signup_notice`, ...). */
  kind: string;
}

/** The bare address of a `Name <addr>` or `addr` sender. */
export function senderAddress(from: string): string {
  const match = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from);
  return (match ? match[1] : from).trim();
}

/** Sends one system message now; answers the provider's message id. Throws on failure. */
export async function sendSystemMail(app: SystemMailContext, message: SystemMessage): Promise<string> {
  const cfg = app.config;
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
    app.log.warn("system mail kept in the outbox: MAIL_SYSTEM_SMTP_URL is not set", { kind: message.kind });
  }
  return await storeOutboxMessage(app.sql, {
    token: `sys-${crypto.randomUUID()}`,
    messageId: `<${crypto.randomUUID()}@${domain}>`,
    mailboxEmail: address,
    to: message.to,
    subject: message.subject,
    body: message.text,
    headers: { From: from, "X-RoleFerry-System": message.kind },
  });
}

/**
 * The system mails being sent for one app: made by the composition root (app/context.ts) with the app's way
 * of tracking background work, so shutdown waits for them too.
 */
export class SystemMailQueue {
  #pending = new Set<Promise<unknown>>();

  constructor(
    private readonly app: SystemMailContext,
    private readonly track: <T>(work: () => Promise<T>) => Promise<T> = (work) => work(),
  ) {}

  /** Starts sending without making the caller wait; failures are logged, never thrown. */
  queue(message: SystemMessage): void {
    const promise = this.track(() => sendSystemMail(this.app, message)).catch((error) => {
      this.app.log.error("system mail failed", { kind: message.kind, error: (error as Error).message });
    });
    this.#pending.add(promise);
    promise.finally(() => this.#pending.delete(promise));
  }

  /** Waits until every queued message has been handed to the transport (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.#pending.size) await Promise.allSettled([...this.#pending]);
  }
}

/** Starts sending `message` on the app's queue without making the caller wait. */
export function queueSystemMail(app: Pick<AppContext, "systemMail">, message: SystemMessage): void {
  app.systemMail.queue(message);
}

/** Waits until every system message the app queued has been handed to the transport (tests, shutdown). */
export function settleSystemMail(app: Pick<AppContext, "systemMail">): Promise<void> {
  return app.systemMail.settle();
}

/**
 * Picks the mail transport of `MAIL_TRANSPORT` (contract §2): Mailgun, each
 * mailbox's own SMTP server, or the development outbox.
 */
import { type Config, config } from "../../fresh.config.ts";
import { mailgunTransport } from "./mailgun.ts";
import { outboxTransport } from "./outbox.ts";
import { smtpTransport } from "./smtp.ts";
import type { Transport } from "./types.ts";

let cached: { key: string; transport: Transport } | undefined;

/** The configured transport (one per configuration, reused across runs). */
export function transportFromConfig(cfg: Config = config()): Transport {
  const key = `${cfg.mailTransport}|${cfg.mailgunUrl}|${cfg.mailgunApiKey ?? ""}`;
  if (cached?.key === key) return cached.transport;
  let transport: Transport;
  if (cfg.mailTransport === "mailgun") {
    if (!cfg.mailgunApiKey) throw new Error("MAILGUN_API_KEY is required when MAIL_TRANSPORT is mailgun");
    transport = mailgunTransport({ apiKey: cfg.mailgunApiKey, url: cfg.mailgunUrl });
  } else if (cfg.mailTransport === "smtp") {
    transport = smtpTransport();
  } else {
    transport = outboxTransport();
  }
  cached = { key, transport };
  return transport;
}

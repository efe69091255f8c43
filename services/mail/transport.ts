/**
 * Picks the mail transport of `MAIL_TRANSPORT` (contract §2): Mailgun, each
 * mailbox's own SMTP server, or the development outbox. The SMTP transport
 * (nodemailer) is loaded only when it is used, so the Mailgun and outbox
 * paths never load it (Deno Deploy has no raw SMTP sockets to offer anyway).
 */
import { type Config, config } from "@/fresh.config.ts";
import { mailgunTransport } from "./mailgun.ts";
import { outboxTransport } from "./outbox.ts";
import type { Transport } from "@/core/mail/types.ts";
import { createSecretBox } from "@/core/secrets.ts";

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
    transport = lazySmtp(cfg);
  } else {
    transport = outboxTransport();
  }
  cached = { key, transport };
  return transport;
}

/** The SMTP transport behind a dynamic import. */
function lazySmtp(cfg: Config): Transport {
  let loaded: Promise<Transport> | undefined;
  const get =
    () => (loaded ??= import("./smtp.ts").then((m) =>
      m.smtpTransport({ secrets: createSecretBox(() => cfg.secret) })
    ));
  return {
    name: "smtp",
    send: async (message) => (await get()).send(message),
    lookup: async (token, mailbox, since, messageId) =>
      (await get()).lookup(token, mailbox, since, messageId),
  };
}

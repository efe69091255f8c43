/**
 * Picks the mail transport of `MAIL_TRANSPORT` (contract §2): Mailgun, each
 * mailbox's own SMTP server, or the development outbox (stored through `sql`).
 * The composition root calls it once and the app context holds the result
 * (app/context.ts), so every run reuses one transport. The SMTP transport
 * (nodemailer) is loaded only when it is used, so the Mailgun and outbox
 * paths never load it (Deno Deploy has no raw SMTP sockets to offer anyway).
 */
import type { Config } from "@/fresh.config.ts";
import type { Sql } from "@/db/client.ts";
import { mailgunTransport } from "./mailgun.ts";
import { outboxTransport } from "./outbox.ts";
import type { Transport } from "@/core/mail/types.ts";
import type { SecretBox } from "@/core/secrets.ts";

/** The transport `cfg` names; SMTP decrypts each mailbox's password with `secrets` when it connects. */
export function transportFromConfig(cfg: Config, sql: Sql, secrets: SecretBox): Transport {
  if (cfg.mailTransport === "mailgun") {
    if (!cfg.mailgunApiKey) throw new Error("MAILGUN_API_KEY is required when MAIL_TRANSPORT is mailgun");
    return mailgunTransport({ apiKey: cfg.mailgunApiKey, url: cfg.mailgunUrl });
  }
  if (cfg.mailTransport === "smtp") return lazySmtp(secrets);
  return outboxTransport(sql);
}

/** The SMTP transport behind a dynamic import. */
function lazySmtp(secrets: SecretBox): Transport {
  let loaded: Promise<Transport> | undefined;
  const get = () => (loaded ??= import("./smtp.ts").then((m) => m.smtpTransport({ secrets })));
  return {
    name: "smtp",
    canLookUp: false,
    send: async (message) => (await get()).send(message),
    lookup: async (token, mailbox, since, messageId) =>
      (await get()).lookup(token, mailbox, since, messageId),
  };
}

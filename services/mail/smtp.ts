/**
 * The SMTP transport: each mailbox sends through its own server with its own
 * credentials (nodemailer). The password is decrypted only for the
 * connection. SMTP keeps no log RoleFerry could query, so `lookup` cannot tell
 * whether an interrupted message arrived: the dispatcher then never resends
 * it (at most once for SMTP, see docs/outreach.md).
 */
import nodemailer from "nodemailer";
import type { SecretBox } from "@/core/secrets.ts";
import { formatFrom, threadHeaders } from "@/core/mail/compose.ts";
import type { LookupOutcome, OutgoingMessage, SendOutcome, Transport } from "@/core/mail/types.ts";

interface SmtpError {
  code?: string;
  responseCode?: number;
  command?: string;
  message?: string;
}

/** Codes for which the message certainly did not reach the server's queue. */
const NOT_SENT_CODES = new Set(["ECONNECTION", "EDNS", "EAUTH", "ETLS", "ESOCKET_CONNECT", "ECONNREFUSED"]);

/** Maps a nodemailer error: 5xx replies are permanent, 4xx temporary, lost connections uncertain. */
export function classifySmtpError(error: unknown): Exclude<SendOutcome, { kind: "sent" }> {
  const e = (error ?? {}) as SmtpError;
  const message = `smtp${e.responseCode ? " " + e.responseCode : ""}: ${e.message ?? String(error)}`.slice(
    0,
    500,
  );
  if (e.responseCode && e.responseCode >= 500) {
    return { kind: "permanent", error: message, status: e.responseCode };
  }
  if (e.responseCode && e.responseCode >= 400) {
    return { kind: "temporary", error: message, status: e.responseCode };
  }
  if (e.code && NOT_SENT_CODES.has(e.code)) return { kind: "temporary", error: message };
  // Connection lost or timed out while the message itself was being sent or acknowledged: the server may
  // have queued it. Earlier (connect, greeting, AUTH, MAIL, RCPT) nothing can have been queued.
  const stage = (e.command ?? "").toUpperCase();
  if (stage === "DATA" || stage === "MESSAGE" || stage === "") return { kind: "uncertain", error: message };
  return { kind: "temporary", error: message };
}

export interface SmtpOptions {
  /** Opens the mailbox's stored SMTP password (the app context's `secrets`). */
  secrets: SecretBox;
  /** Connection and greeting timeouts, milliseconds. */
  timeoutMs?: number;
  /** TLS from the first byte (port 465) instead of STARTTLS; default: port 465 only. */
  secure?: boolean;
  /** Accept self-signed certificates (tests against a local server only). */
  insecureTls?: boolean;
}

export function smtpTransport(options: SmtpOptions): Transport {
  return {
    name: "smtp",
    canLookUp: false,
    async send(message: OutgoingMessage): Promise<SendOutcome> {
      const { mailbox } = message;
      let password: string;
      try {
        password = await options.secrets.decrypt(mailbox.smtp_password_encrypted);
      } catch (error) {
        return {
          kind: "permanent",
          error: `smtp password cannot be decrypted: ${(error as Error).message}`,
          status: 401,
        };
      }
      const timeout = options.timeoutMs ?? 30_000;
      const transporter = nodemailer.createTransport({
        host: mailbox.smtp_host,
        port: mailbox.smtp_port,
        secure: options.secure ?? mailbox.smtp_port === 465,
        auth: { user: mailbox.smtp_username, pass: password },
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
        tls: options.insecureTls ? { rejectUnauthorized: false } : undefined,
      });
      try {
        const thread = threadHeaders(message.thread);
        const info = await transporter.sendMail({
          from: formatFrom(mailbox.email, message.fromName),
          to: message.to,
          subject: message.subject,
          text: message.text,
          messageId: message.messageId ?? `<${message.token}.${crypto.randomUUID()}@${mailbox.domain}>`,
          ...(thread.inReplyTo ? { inReplyTo: thread.inReplyTo, references: thread.references } : {}),
          ...(message.replyTo ? { replyTo: message.replyTo } : {}),
          headers: {
            "List-Unsubscribe": `<${message.unsubscribeUrl}>`,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-RoleFerry-Outreach": message.token,
          },
        });
        return { kind: "sent", messageId: String(info.messageId) };
      } catch (error) {
        return classifySmtpError(error);
      } finally {
        transporter.close();
      }
    },
    lookup(): Promise<LookupOutcome> {
      return Promise.resolve({ kind: "unknown", error: "SMTP servers keep no log RoleFerry can query" });
    },
  };
}

/**
 * The `outbox` transport (development): stores each message in
 * `outbox_messages` instead of sending it; /dev/outbox shows them. The store
 * keeps one message per outreach token, so it is exactly-once by itself.
 */
import type { Sql } from "@/db/client.ts";
import { findOutboxMessageId, storeOutboxMessage } from "@/db/outbox.ts";
import { formatFrom, threadHeaders } from "@/core/mail/compose.ts";
import type { LookupOutcome, OutgoingMessage, SendOutcome, Transport } from "@/core/mail/types.ts";

export function outboxTransport(sql: Sql): Transport {
  return {
    name: "outbox",
    canLookUp: true,
    async send(message: OutgoingMessage): Promise<SendOutcome> {
      const thread = threadHeaders(message.thread);
      try {
        const messageId = await storeOutboxMessage(sql, {
          token: message.token,
          messageId: message.messageId ?? `<${crypto.randomUUID()}@${message.mailbox.domain}>`,
          mailboxEmail: message.mailbox.email,
          to: message.to,
          subject: message.subject,
          body: message.text,
          headers: {
            From: formatFrom(message.mailbox.email, message.fromName),
            "List-Unsubscribe": `<${message.unsubscribeUrl}>`,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            ...(thread.inReplyTo ? { "In-Reply-To": thread.inReplyTo, References: thread.references! } : {}),
            ...(message.replyTo ? { "Reply-To": message.replyTo } : {}),
          },
        });
        return { kind: "sent", messageId };
      } catch (error) {
        return { kind: "uncertain", error: `outbox: ${(error as Error).message}` };
      }
    },
    async lookup(token: string): Promise<LookupOutcome> {
      try {
        const messageId = await findOutboxMessageId(sql, token);
        return messageId ? { kind: "found", messageId } : { kind: "absent" };
      } catch (error) {
        return { kind: "unknown", error: (error as Error).message };
      }
    },
  };
}

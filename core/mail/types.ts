/**
 * What every mail transport (Mailgun, SMTP, outbox) receives and answers. The
 * dispatcher only sees these shapes, so its exactly-once logic does not depend
 * on the transport.
 */

/** The sending mailbox, as the dispatcher reserved it (the SMTP password stays encrypted until used). */
export interface SendingMailbox {
  id: number;
  email: string;
  domain: string;
  smtp_host: string;
  smtp_port: number;
  smtp_username: string;
  smtp_password_encrypted: string;
}

export interface OutgoingMessage {
  /** Opaque per-outreach id (`v:outreach` at Mailgun): how a maybe-sent message is found again. */
  token: string;
  mailbox: SendingMailbox;
  to: string;
  subject: string;
  text: string;
  /** `APP_BASE_URL/unsubscribe/<token>` for List-Unsubscribe. */
  unsubscribeUrl: string;
  /** Our own RFC 5322 Message-ID (`<...@mailbox.domain>`), stored before the send (issue 11). */
  messageId?: string;
  /** The sender's name for `From: "Full Name" <mailbox>`. */
  fromName?: string;
  /** Where replies should go, when not to the mailbox. */
  replyTo?: string;
  /** Follow-ups: the Message-IDs of the earlier steps, oldest first (In-Reply-To: the last; References: all). */
  thread?: string[];
}

/**
 * - `sent`: the provider accepted it (its message id is kept).
 * - `temporary`: it was certainly not accepted and may be retried later (429, 5xx, connection refused).
 * - `permanent`: it was refused and will never be accepted as it is (4xx).
 * - `uncertain`: the request may have reached the provider (timeout, connection reset): never resend
 *   before `lookup` says it did not arrive.
 */
export type SendOutcome =
  | { kind: "sent"; messageId: string }
  | {
    kind: "temporary" | "permanent" | "uncertain";
    error: string;
    status?: number;
    /** A temporary refusal that said when to try again (Mailgun 420 "try again after ...", Retry-After). */
    retryAt?: Date;
  };

export type LookupOutcome =
  | { kind: "found"; messageId: string }
  | { kind: "absent" }
  /** The transport cannot tell (SMTP keeps no log we can query), or the lookup itself failed. */
  | { kind: "unknown"; error: string };

export interface Transport {
  readonly name: "mailgun" | "smtp" | "outbox";
  /**
   * Whether `lookup` can ever find a message this transport sent. False for SMTP: servers keep no log
   * RoleFerry can query, so its `unknown` stays unknown, and the dispatcher fails a row left "maybe sent" once
   * the grace period is over instead of holding it forever (resending could mail the contact twice). True
   * where `unknown` means the lookup itself failed for now (Mailgun's events API, the outbox table).
   */
  readonly canLookUp: boolean;
  send(message: OutgoingMessage): Promise<SendOutcome>;
  /**
   * Whether a message with this token (and, when known, this Message-ID) was accepted since `since`. Must
   * answer `unknown`, never `absent`, when it could not look at every candidate.
   */
  lookup(token: string, mailbox: SendingMailbox, since: Date, messageId?: string): Promise<LookupOutcome>;
}

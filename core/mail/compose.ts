/**
 * What every transport puts in an outreach beyond the rendered text (issue 11, contract §5): a sender people
 * recognise (`"Full Name" <mailbox>`), our own Message-ID on the mailbox's domain, thread headers on
 * follow-ups, and an opt-out line with the unsubscribe URL at the end of the text. Pure.
 */

/** `"Full Name" <address>` (RFC 5322 quoted display name; quotes, backslashes and line breaks made safe). */
export function formatFrom(address: string, name?: string | null): string {
  const clean = (name ?? "").replace(/[\r\n\t]+/g, " ").replace(/[\\"]/g, "").trim().slice(0, 120);
  return clean ? `"${clean}" <${address}>` : address;
}

/**
 * A new RFC 5322 Message-ID on the mailbox's domain: the outreach token (unique per row, opaque) and a random
 * part (unique per issue, so a message never shares an id with an earlier, refused attempt).
 */
export function newMessageId(outreachToken: string, domain: string): string {
  const random = crypto.getRandomValues(new Uint32Array(2));
  const tail = Array.from(random, (n) => n.toString(36)).join("");
  return `<rf.${outreachToken.replace(/[^A-Za-z0-9_-]/g, "")}.${tail}@${domain.toLowerCase()}>`;
}

/** The opt-out line that ends every outreach text (RFC 8058's header stays as well). */
export function withOptOutLine(text: string, unsubscribeUrl: string): string {
  return `${text.replace(/\s+$/, "")}\n\n--\nNot interested? Unsubscribe with one click: ${unsubscribeUrl}\n`;
}

/** In-Reply-To (the latest earlier message) and References (all of them, oldest first) for a follow-up. */
export function threadHeaders(thread: string[] | undefined): { inReplyTo?: string; references?: string } {
  const ids = (thread ?? []).filter((id) => /^<[^<>\s]+>$/.test(id));
  if (!ids.length) return {};
  return { inReplyTo: ids[ids.length - 1], references: ids.join(" ") };
}

/** A follow-up's subject: its own when the step sets one, else `Re: <step 1 subject>`. */
export function followUpSubject(own: string, firstSubject: string, maxLength = 500): string {
  if (own.trim()) return own;
  const base = firstSubject.replace(/^(re:\s*)+/i, "");
  return `Re: ${base}`.slice(0, maxLength);
}

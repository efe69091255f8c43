/**
 * Address syntax as SMTP sees it (RFC 5321 §4.1.2 Mailbox, §4.5.3.1 limits),
 * with the RFC 5322 dot-atom or quoted-string local part, and internationalised
 * domains (RFC 5890): the domain is converted to its punycode A-label with
 * node:url's domainToASCII, and that form is what DNS is asked about. An
 * address is stored as typed; only the check uses the ASCII form.
 */
import { domainToASCII } from "node:url";

export interface ParsedAddress {
  local: string;
  /** The domain as typed (may hold Unicode). */
  domain: string;
  /** The domain's ASCII (punycode) form, lower case, without a trailing dot. */
  asciiDomain: string;
}

// RFC 5322 atext; RFC 6531 (SMTPUTF8) also allows UTF-8 beyond ASCII in the local part.
const ATEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10FFFF}]+$/u;
const QUOTED = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e\u0080-\u{10FFFF}]|\\[\x20-\x7e])*"$/u;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function validLocal(local: string): boolean {
  if (local.length === 0 || new TextEncoder().encode(local).length > 64) return false;
  if (local.startsWith('"')) return QUOTED.test(local);
  return local.split(".").every((atom) => atom.length > 0 && ATEXT.test(atom));
}

/**
 * Parses an address; null when it is not a deliverable mailbox syntax
 * (no @, an empty or over-long part, a bad label, an address literal —
 * `[1.2.3.4]` is legal but never a contact's address, a single-label domain).
 */
export function parseAddress(input: string): ParsedAddress | null {
  // control characters (CR/LF injection, NUL) never belong in an address
  // deno-lint-ignore no-control-regex
  if (typeof input !== "string" || input.length > 320 || /[\x00-\x1f\x7f]/.test(input)) return null;
  const at = input.lastIndexOf("@");
  if (at < 1 || at === input.length - 1) return null;
  const local = input.slice(0, at);
  const domain = input.slice(at + 1);
  if (!validLocal(local)) return null;
  if (domain.startsWith("[") || /\s/.test(domain)) return null;
  const ascii = domainToASCII(domain.replace(/\.$/, "")).toLowerCase();
  if (!ascii || ascii.length > 253) return null;
  const labels = ascii.split(".");
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return null;
  // a numeric top-level label is an IPv4 address, not a domain
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return null;
  // the whole path (local@domain) must fit the 256-octet reverse-path limit, less the brackets
  if (new TextEncoder().encode(local).length + 1 + ascii.length > 254) return null;
  return { local, domain, asciiDomain: ascii };
}

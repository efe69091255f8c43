/**
 * What an address verification finds (contract §6): the result, its reason and what the SMTP probe said.
 * Pure types shared by the check (services/deliverability/verify_address.ts) and the store of its results
 * (db/contact_verification.ts), which must not import a service.
 */

export type VerificationResult = "valid" | "risky" | "invalid";
export type VerificationReason =
  | "syntax"
  | "no_mx"
  | "no_domain"
  | "disposable"
  | "role"
  | "catch_all"
  | "dns_timeout"
  | "smtp_rejected"
  | "ok";

export type ProbeOutcome =
  /** 250 for the address, 5xx for the random one. */
  | "accepted"
  /** 5xx for the address. */
  | "rejected"
  /** 250 for the address and for a random one. */
  | "catch_all"
  /** No verdict: connection refused, timeout, 4xx (greylisting), an unexpected reply. */
  | "unknown";

export interface Verification {
  result: VerificationResult;
  reason: VerificationReason;
  /** Whether an SMTP probe accepted this very address (a guessed address is then confirmed). */
  probe: ProbeOutcome | null;
}

/** Results are trusted this long; after that enrollment checks again. */
export const VERIFICATION_TTL_DAYS = 90;

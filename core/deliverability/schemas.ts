/**
 * zod schemas of the deliverability routes (contract §6): address
 * suggestions, verification results, template lint and mailbox DNS state.
 */
import { z } from "zod";
import { parseAddress } from "./email_syntax.ts";

/**
 * An address as SMTP takes it (RFC 5321/5322), internationalised domains
 * included; stored as typed. Whether it is deliverable is verification's
 * business, not the schema's.
 */
export const MailboxAddress = z.string({ error: "must be an email address" }).trim().max(
  255,
  "must be at most 255 characters",
).refine((v) => parseAddress(v) !== null, "must be an email address")
  // the placeholder domain of contacts added by name only (migration 0075)
  .refine((v) => !/@address-pending\.invalid$/i.test(v), "must be an email address");

export const VerificationOut = z.object({
  result: z.enum(["valid", "risky", "invalid"]),
  reason: z.enum([
    "syntax",
    "no_mx",
    "no_domain",
    "disposable",
    "role",
    "catch_all",
    "dns_timeout",
    "smtp_rejected",
    "ok",
  ]),
  checked_at: z.string(),
  expires_at: z.string(),
});

export const SuggestQuery = z.strictObject({
  full_name: z.string({ error: "must be a name" }).trim().min(1, "must not be empty").max(
    255,
    "must be at most 255 characters",
  ),
  domain: z.string({ error: "must be a domain" }).trim().toLowerCase().max(
    253,
    "must be at most 253 characters",
  )
    .refine((d) => parseAddress(`x@${d}`) !== null, "must be a domain name"),
});

export const SuggestionOut = z.object({
  email: z.string(),
  pattern: z.string(),
  evidence: z.number(),
  verification: VerificationOut,
});

export const LintBody = z.strictObject({
  subject: z.string({ error: "must be a string" }).max(2000, "must be at most 2000 characters"),
  body: z.string({ error: "must be a string" }).max(100_000, "must be at most 100000 characters"),
});

export const LintOut = z.object({ warnings: z.array(z.object({ code: z.string(), message: z.string() })) });

const CheckOut = z.object({
  status: z.enum(["pass", "warn", "fail"]),
  found: z.string().nullable(),
  expected: z.string().nullable(),
});

export const MailboxDnsOut = z.object({
  spf: CheckOut,
  dkim: CheckOut,
  dmarc: CheckOut,
  mx: CheckOut,
  checked_at: z.string().nullable(),
});

export const DnsQuery = z.strictObject({
  refresh: z.enum(["1", "0", "true", "false"], { error: "must be 1 or 0" }).optional(),
});

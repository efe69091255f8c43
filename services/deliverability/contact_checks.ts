/**
 * The contact side of deliverability, on top of the pure modules: verify a
 * contact and store the result, propose addresses for a name at a domain, and
 * the enrollment rule (one call from the enrollment service):
 * invalid → 422 `invalid_address`; risky or guessed → 409 `risky_address`
 * unless `confirm_risky`.
 */
import { hitRateLimit } from "@/db/rate_limits.ts";
import { HttpError } from "@/core/http_error.ts";
import { candidateAddresses } from "@/core/deliverability/address_patterns.ts";
import { type Verification, VERIFICATION_TTL_DAYS } from "@/core/deliverability/verification.ts";
import type { AppContext } from "@/services/app_context.ts";
import { verifyAddress } from "./verify_address.ts";
import {
  getVerificationTarget,
  listKnownContactsAtDomain,
  storeContactVerification,
  type StoredVerification,
  type VerificationTarget,
} from "@/db/contact_verification.ts";

/** Verifies with the app's resolver (ROLEFERRY_DNS), and the probe when ROLEFERRY_SMTP_PROBE=on. */
export function verifyWithConfig(app: AppContext, email: string): Promise<Verification> {
  const c = app.config;
  return verifyAddress(email, {
    resolver: app.resolver,
    probe: c.smtpProbe ? { port: c.smtpProbePort ?? 25 } : undefined,
  });
}

async function verifyTarget(
  app: AppContext,
  target: VerificationTarget & { email: string },
): Promise<StoredVerification> {
  const v = await verifyWithConfig(app, target.email);
  const stored = await storeContactVerification(app.sql, target.id, target.email, v, VERIFICATION_TTL_DAYS);
  // the email changed while we looked: answer what we found about the address we were given
  const now = app.clock.now();
  return stored ?? {
    result: v.result,
    reason: v.reason,
    checked_at: now.toISOString(),
    expires_at: new Date(now.getTime() + VERIFICATION_TTL_DAYS * 86_400_000).toISOString(),
  };
}

/**
 * Lookups a user may start by hand per hour (suggestions and re-verification): each asks DNS about names the
 * user chose and, with the probe on, opens SMTP sessions to their mail servers. Over it: 429.
 */
export const CHECKS_PER_HOUR = 300;

async function limitChecks(app: AppContext, userId: number): Promise<void> {
  const { hits, resetIn } = await hitRateLimit(app.sql, `deliverability:user:${userId}`, 3600);
  if (hits > CHECKS_PER_HOUR) {
    throw new HttpError(429, "too many address checks; try again later", {
      headers: { "retry-after": String(resetIn) },
    });
  }
}

/** `POST /api/contacts/:id/verify`: checks again now and stores it. 404 unknown, 422 without an email. */
export async function verifyContact(app: AppContext, userId: number, contactId: number): Promise<void> {
  await limitChecks(app, userId);
  const target = await getVerificationTarget(app.sql, userId, contactId);
  if (!target) throw new HttpError(404, "contact not found");
  if (!target.email) {
    throw new HttpError(422, "the contact has no email address to verify", {
      fields: { email: "the contact has no email address" },
    });
  }
  await verifyTarget(app, { ...target, email: target.email });
}

/**
 * Enrollment's check. Contacts the enrollment refuses for other reasons
 * (unknown, opted out, bounced) are left to it, so its answers stay as they were.
 */
export async function assertDeliverable(
  app: AppContext,
  userId: number,
  contactId: number,
  confirmRisky: boolean,
): Promise<void> {
  const target = await getVerificationTarget(app.sql, userId, contactId);
  if (!target || target.opted_out || target.bounce_count > 0) return;
  if (!target.email) {
    throw new HttpError(422, "the contact has no email address", {
      code: "invalid_address",
      fields: { contact_id: "the contact has no email address" },
    });
  }
  const v = target.fresh && target.verification
    ? target.verification
    : await verifyTarget(app, { ...target, email: target.email });
  if (v.result === "invalid") {
    throw new HttpError(422, `the contact's address is invalid (${v.reason})`, {
      code: "invalid_address",
      fields: { contact_id: `invalid address: ${v.reason}` },
    });
  }
  if (confirmRisky) return;
  if (v.result === "risky") {
    throw new HttpError(
      409,
      `the contact's address is risky (${v.reason}): send confirm_risky: true to enroll`,
      {
        code: "risky_address",
      },
    );
  }
  if (target.email_guessed) {
    throw new HttpError(
      409,
      "the contact's address was guessed from the company's pattern and is not confirmed: send confirm_risky: true to enroll",
      { code: "risky_address" },
    );
  }
}

export interface Suggestion {
  email: string;
  pattern: string;
  evidence: number;
  verification: StoredVerification;
}

/** `GET /api/contacts/suggest`: candidates ranked by evidence, each verified (DNS answers are cached). */
export async function suggestContactAddresses(
  app: AppContext,
  userId: number,
  fullName: string,
  domain: string,
): Promise<Suggestion[]> {
  await limitChecks(app, userId);
  const known = await listKnownContactsAtDomain(app.sql, userId, domain);
  const candidates = candidateAddresses(fullName, domain, known);
  if (!candidates.length) {
    throw new HttpError(422, "invalid values", { fields: { full_name: "needs a first and a last name" } });
  }
  const checkedAt = app.clock.now();
  const expiresAt = new Date(checkedAt.getTime() + VERIFICATION_TTL_DAYS * 86_400_000);
  return await Promise.all(candidates.map(async (c) => {
    const v = await verifyWithConfig(app, c.email);
    return {
      ...c,
      verification: {
        result: v.result,
        reason: v.reason,
        checked_at: checkedAt.toISOString(),
        expires_at: expiresAt.toISOString(),
      },
    };
  }));
}

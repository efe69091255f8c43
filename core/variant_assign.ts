/**
 * Which variant of a sequence step a contact gets.
 *
 * Deterministic: a hash of (sequence, step, contact), so a retry, a crash
 * recovery or a re-enrollment never switches a contact's variant, and no
 * assignment needs to be stored before it is used. When a sequence's variants
 * are paired (variant B of step 2 follows up variant B of step 1), every step
 * hashes with step 1, so the contact keeps one story from the first email on.
 *
 * SHA-256 rather than a quick string hash: its low bits are uniform, so the
 * modulo over 2–4 variants is balanced (checked with a chi-square test).
 */
import { createHash } from "node:crypto";

export const VARIANT_KEYS = ["A", "B", "C", "D"] as const;
export type VariantKey = (typeof VARIANT_KEYS)[number];

export interface AssignInput {
  sequenceId: number;
  stepNo: number;
  contactId: number;
  /** The variant keys of the step, in order (2–4). */
  keys: readonly string[];
  /** Later steps follow step 1's draw. */
  paired?: boolean;
  /** A declared winner that new enrollments are routed to (automatic promotion). */
  promoted?: string | null;
}

/** The variant key for this contact and step; `null` for a step without variants. */
export function assignVariant(input: AssignInput): string | null {
  if (input.keys.length === 0) return null;
  if (input.promoted && input.keys.includes(input.promoted)) return input.promoted;
  const step = input.paired ? 1 : input.stepNo;
  const digest = createHash("sha256").update(`${input.sequenceId}:${step}:${input.contactId}`).digest();
  return input.keys[digest.readUInt32BE(0) % input.keys.length];
}

interface VariantStep {
  step_no: number;
  subject: string;
  body: string;
  variants?: { key: string; subject: string; body: string }[];
}

/**
 * The text a contact gets for one step: the step's own, or its assigned
 * variant's. A later step whose variant keys are the same as step 1's is paired
 * with it (variant B of the follow-up follows up variant B of the first email).
 */
export function chooseStepText(
  steps: readonly VariantStep[],
  step: VariantStep,
  ids: { sequenceId: number; contactId: number },
  promoted: ReadonlyMap<number, string> = new Map(),
): { variant: string | null; subject: string; body: string } {
  if (!step.variants?.length) return { variant: null, subject: step.subject, body: step.body };
  const keys = step.variants.map((v) => v.key);
  const first = steps.find((s) => s.step_no === 1);
  const firstKeys = first?.variants?.map((v) => v.key).sort().join() ?? "";
  const paired = step.step_no > 1 && firstKeys === [...keys].sort().join();
  const key = assignVariant({
    ...ids,
    stepNo: step.step_no,
    keys,
    paired,
    promoted: promoted.get(paired ? 1 : step.step_no) ?? null,
  })!;
  const chosen = step.variants.find((v) => v.key === key)!;
  return { variant: key, subject: chosen.subject, body: chosen.body };
}

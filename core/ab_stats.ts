/**
 * The statistics behind an A/B comparison of sequence variants: a Wilson score
 * interval for each variant's reply rate, a pooled two-proportion z-test
 * between two variants, and the rule that declares a winner.
 *
 * Pure on purpose: the funnel page, the API and the promotion of a winner all
 * read the same numbers, and the tests check them against hand-computed values.
 * Why Wilson and not the textbook "p ± z·se": at the small counts and rates of
 * cold email (3 replies in 40 sends) the textbook interval goes below zero and
 * covers far less than 95%; Wilson stays inside [0, 1] and keeps its coverage.
 */

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/** The documented rule (docs/campaigns.md): no winner below these. */
export const WINNER_RULE = {
  /** Sends per variant before any comparison counts. */
  minSentPerVariant: 100,
  /** Replies over all variants of the step: below this the test has no power to speak of. */
  minRepliesTotal: 10,
  /** Family-wise significance level, split across the comparisons (Bonferroni). */
  alpha: 0.05,
} as const;

export interface Interval {
  value: number;
  low: number;
  high: number;
}

/** The share `successes / trials` with its Wilson score interval; 0 trials gives [0, 1]. */
export function wilson(successes: number, trials: number, z = Z95): Interval {
  if (trials <= 0) return { value: 0, low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { value: p, low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

export interface TwoProportionTest {
  z: number;
  /** Two-sided p-value. */
  p_value: number;
}

/**
 * The pooled two-proportion z-test of `a = x1/n1` against `b = x2/n2`. When
 * both rates are 0 or both 1 there is nothing to tell apart: z = 0, p = 1.
 */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): TwoProportionTest {
  if (n1 <= 0 || n2 <= 0) return { z: 0, p_value: 1 };
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, p_value: 1 };
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, p_value: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)) };
}

/**
 * The complementary error function, W. J. Cody's rational approximation as in
 * Numerical Recipes' `erfcc` (fractional error below 1.2e-7 everywhere), which
 * is far finer than any p-value a person reads.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(
    -z * z - 1.26551223 +
      t * (1.00002368 +
          t * (0.37409196 +
              t * (0.09678418 +
                  t * (-0.18628806 +
                      t *
                        (0.27886807 +
                          t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
  );
  return x >= 0 ? r : 2 - r;
}

export interface VariantCounts {
  variant: string;
  sent: number;
  replied: number;
}

export type WinnerVerdict =
  | { winner: { variant: string; p_value: number }; reason: "significant" }
  | { winner: null; reason: "not_enough_data" | "no_significant_difference" | "single_variant" };

/**
 * Declares the variant with the highest reply rate the winner only when every
 * variant has `minSentPerVariant` sends, the step has `minRepliesTotal`
 * replies, and the leader beats each other variant with p below
 * `alpha / (k - 1)` (Bonferroni over the k - 1 comparisons). The p-value
 * reported is the largest of those comparisons: the weakest link.
 */
export function declareWinner(variants: VariantCounts[], rule = WINNER_RULE): WinnerVerdict {
  if (variants.length < 2) return { winner: null, reason: "single_variant" };
  const replies = variants.reduce((sum, v) => sum + v.replied, 0);
  if (variants.some((v) => v.sent < rule.minSentPerVariant) || replies < rule.minRepliesTotal) {
    return { winner: null, reason: "not_enough_data" };
  }
  const rate = (v: VariantCounts) => v.replied / v.sent;
  const leader = variants.reduce((best, v) => (rate(v) > rate(best) ? v : best));
  const threshold = rule.alpha / (variants.length - 1);
  let worst = 0;
  for (const other of variants) {
    if (other === leader) continue;
    const test = twoProportionTest(leader.replied, leader.sent, other.replied, other.sent);
    if (test.z <= 0 || test.p_value >= threshold) {
      return { winner: null, reason: "no_significant_difference" };
    }
    worst = Math.max(worst, test.p_value);
  }
  return { winner: { variant: leader.variant, p_value: worst }, reason: "significant" };
}

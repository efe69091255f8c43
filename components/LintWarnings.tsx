/**
 * The template lint warnings of one step (core/deliverability/template_lint.ts),
 * computed in the browser as the user types: the same checks as
 * `POST /api/sequences/lint`. Advice only: saving is never blocked.
 */
import { lintTemplate } from "@/core/deliverability/template_lint.ts";

export default function LintWarnings(props: { subject: string; body: string; step: number }) {
  const warnings = lintTemplate(props.subject, props.body);
  if (!warnings.length) {
    return <p class="lint lint-clear muted" data-lint-step={props.step}>No deliverability warnings.</p>;
  }
  return (
    <div class="lint notice" data-lint-step={props.step} aria-live="polite">
      <strong>Deliverability warnings (saving is still allowed)</strong>
      <ul>
        {warnings.map((w) => <li key={w.code} data-lint={w.code}>{w.message}</li>)}
      </ul>
    </div>
  );
}

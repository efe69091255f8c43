/**
 * `dispatch-outreach` (every minute): one run of the outreach engine's dispatcher
 * (services/outreach/dispatcher.ts: what it does, its modes, and why every row is sent exactly once).
 */
import type { AppContext } from "@/services/app_context.ts";
import { dispatchOutreach } from "@/services/outreach/dispatcher.ts";

export { dispatchOutreach };
export type { DispatchOptions, DispatchResult } from "@/services/outreach/options.ts";

/** One run that stops claiming new batches once `signal` aborts (shutdown); `rows`: the rows it claimed. */
export async function dispatchOutreachJob(app: AppContext, signal?: AbortSignal) {
  const result = await dispatchOutreach(app, { signal });
  return { rows: result.claimed, ...result };
}

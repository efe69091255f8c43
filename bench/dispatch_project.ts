/** The project's dispatcher under the benchmark (filled in once jobs/dispatch_outreach.ts lands). */
import type { DispatchOptions } from "./dispatch.ts";

export function dispatcherRate(
  _options: DispatchOptions,
): Promise<{ rate: number; sent: number; duplicates: number }> {
  return Promise.reject(new Error("jobs/dispatch_outreach.ts is not in the tree yet"));
}

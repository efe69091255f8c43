import type { FreshContext } from "@/fresh/types.ts";
import type { TestState } from "@/fresh/testdata/app/state.ts";

export function handler(ctx: FreshContext<TestState>): Promise<Response> {
  ctx.state.trail.push("api");
  return ctx.next();
}

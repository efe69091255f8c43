import type { FreshContext } from "@/fresh/types.ts";
import type { TestState } from "@/fresh/testdata/app/state.ts";

export async function handler(ctx: FreshContext<TestState>): Promise<Response> {
  ctx.state.trail.push("root");
  ctx.state.requestId = "req-42";
  const res = await ctx.next();
  res.headers.set("x-trail-after", ctx.state.trail.join(">"));
  return res;
}

import type { FreshContext } from "../../../../types.ts";
import type { TestState } from "../../state.ts";

export function handler(ctx: FreshContext<TestState>): Promise<Response> {
  ctx.state.trail.push("api");
  return ctx.next();
}

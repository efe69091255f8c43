import type { FreshContext } from "@/fresh/types.ts";
import type { TestState } from "@/fresh/testdata/app/state.ts";

export const handler = [
  (ctx: FreshContext<TestState>) => {
    ctx.state.trail.push("users");
    return ctx.next();
  },
  (ctx: FreshContext<TestState>) => {
    ctx.state.trail.push("users2");
    return ctx.next();
  },
];

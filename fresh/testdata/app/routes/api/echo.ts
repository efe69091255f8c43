import type { Handlers } from "@/fresh/types.ts";
import type { TestState } from "@/fresh/testdata/app/state.ts";

export const handler: Handlers<TestState> = {
  GET(ctx) {
    return Response.json({
      trail: ctx.state.trail,
      requestId: ctx.state.requestId,
      q: ctx.url.searchParams.get("q"),
    });
  },
  async POST(ctx) {
    return Response.json({ got: await ctx.req.json() }, { status: 201 });
  },
};

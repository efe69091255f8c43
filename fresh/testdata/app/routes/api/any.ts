import type { FreshContext } from "@/fresh/types.ts";

export function handler(ctx: FreshContext): Response {
  return new Response(`method ${ctx.req.method}`, { headers: { "content-type": "text/plain" } });
}

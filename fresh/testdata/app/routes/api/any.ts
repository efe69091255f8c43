import type { FreshContext } from "../../../../types.ts";

export function handler(ctx: FreshContext): Response {
  return new Response(`method ${ctx.req.method}`, { headers: { "content-type": "text/plain" } });
}

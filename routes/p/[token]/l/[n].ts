/** `/p/:token/l/:n`: follows the n-th link of a live page, counting the click once per visitor per day. */
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";
import { HttpError } from "@/core/http_error.ts";
import { clientAddress } from "@/web/auth.ts";
import { countVisit, openPage } from "@/services/live_pages/live_page_public.ts";

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const app = ctx.state.app;
    const page = await openPage(app.sql, ctx.params.token ?? "");
    const n = /^\d{1,2}$/.test(ctx.params.n ?? "") ? Number(ctx.params.n) : -1;
    const link = page.links[n];
    if (!link) throw new HttpError(404, "no such link on this page");
    await countVisit(app, page, ctx.req, clientAddress(ctx), `link:${n}`);
    return new Response(null, { status: 303, headers: { location: link.url, "cache-control": "no-store" } });
  },
};

/**
 * `/p/:token`: a live page, public, static HTML with no script. A disabled
 * page answers 410 at once. The page is not cached by shared caches (its
 * owner can disable it) and is kept out of search engines.
 */
import { renderToString } from "preact-render-to-string";
import { h } from "preact";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";
import { clientAddress } from "@/web/auth.ts";
import { countVisit, openPage, pageContent } from "@/services/live_pages/live_page_public.ts";
import LivePageView from "@/components/LivePageView.tsx";

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const app = ctx.state.app;
    const page = await openPage(app.sql, ctx.params.token ?? "");
    const [content] = await Promise.all([
      pageContent(app.sql, page),
      countVisit(app, page, ctx.req, clientAddress(ctx), "view"),
    ]);
    return new Response("<!DOCTYPE html>" + renderToString(h(LivePageView, { page: content })), {
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "private, no-store",
        "x-robots-tag": "noindex, nofollow",
      },
    });
  },
};

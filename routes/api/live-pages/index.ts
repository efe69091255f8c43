import { z } from "zod";
import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { CreateLivePage, LivePageOut } from "@/core/live_page_schemas.ts";
import { parseJson, parseQuery } from "@/core/validate.ts";
import { createLivePage, listLivePages } from "@/db/live_pages.ts";
import { livePageView } from "@/services/live_pages/live_page_view.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: {
    summary: "The caller's live pages (optionally of one application), with their counters",
    auth: "user",
    query: z.strictObject({
      application_id: z.coerce.number({ error: "must be an application id" }).int().min(1).optional(),
    }),
    response: z.object({ items: z.array(LivePageOut) }),
  },
  POST: {
    summary: "Create a live page for an application; {{live_page}} in a template then renders its URL",
    auth: "user",
    body: CreateLivePage,
    response: LivePageOut,
    status: 201,
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const query = parseQuery(ctx.url, api.GET.query);
    const pages = await listLivePages(user.id, query.application_id);
    return Response.json({ items: pages.map(livePageView) });
  },
  async POST(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const input = await parseJson(ctx.req, api.POST.body);
    return Response.json(livePageView(await createLivePage(user.id, input)), { status: 201 });
  },
};

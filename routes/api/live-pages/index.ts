import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { CreateLivePage, LivePageOut } from "@/core/live_page_schemas.ts";
import { createLivePage, listLivePages } from "@/db/live_pages.ts";
import { livePageView } from "@/services/live_pages/live_page_view.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary: "The caller's live pages (optionally of one application), with their counters",
    auth: "user",
    query: z.strictObject({
      application_id: z.coerce.number({ error: "must be an application id" }).int().min(1).optional(),
    }),
    response: z.object({ items: z.array(LivePageOut) }),
    handler: async (_ctx, { app, user, query }) => {
      const pages = await listLivePages(app.sql, user.id, query.application_id);
      return { items: pages.map((page) => livePageView(app, page)) };
    },
  }),
  POST: op({
    summary: "Create a live page for an application; {{live_page}} in a template then renders its URL",
    auth: "user",
    body: CreateLivePage,
    response: LivePageOut,
    status: 201,
    handler: async (_ctx, { app, user, body }) =>
      livePageView(app, await createLivePage(app.sql, user.id, body)),
  }),
});

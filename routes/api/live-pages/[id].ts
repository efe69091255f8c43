import { defineRoute, op } from "@/web/define_route.ts";
import { LivePageOut, UpdateLivePage } from "@/core/live_page_schemas.ts";
import { parseId } from "@/core/validate.ts";
import { updateLivePage } from "@/db/live_pages.ts";
import { livePageView } from "@/services/live_pages/live_page_view.ts";

export const { handler, api } = defineRoute({
  PATCH: op({
    summary: "Edit a live page, or disable it at once (enabled: false: the public URL answers 410)",
    auth: "user",
    before: (ctx) => void parseId(ctx.params.id, "live page"),
    body: UpdateLivePage,
    response: LivePageOut,
    handler: async (ctx, { app, user, body }) =>
      livePageView(app, await updateLivePage(app.sql, user.id, parseId(ctx.params.id, "live page"), body)),
  }),
});

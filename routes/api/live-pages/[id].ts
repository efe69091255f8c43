import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { LivePageOut, UpdateLivePage } from "@/core/live_page_schemas.ts";
import { parseId, parseJson } from "@/core/validate.ts";
import { updateLivePage } from "@/db/live_pages.ts";
import { livePageView } from "@/services/live_pages/live_page_view.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  PATCH: {
    summary: "Edit a live page, or disable it at once (enabled: false: the public URL answers 410)",
    auth: "user",
    body: UpdateLivePage,
    response: LivePageOut,
  },
});

export const handler = {
  async PATCH(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const id = parseId(ctx.params.id, "live page");
    const input = await parseJson(ctx.req, api.PATCH.body);
    return Response.json(livePageView(await updateLivePage(user.id, id, input)));
  },
};

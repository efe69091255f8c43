import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { PreferencesBody, PreferencesOut } from "@/core/profile_schemas.ts";
import { parseJson } from "@/core/validate.ts";
import { getPreferences, putPreferences } from "@/db/preferences.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";
import { assertStorableText } from "@/core/text_guard.ts";

export const api = defineApi({
  GET: {
    summary: "The caller's job preferences (the defaults until saved)",
    auth: "user",
    response: PreferencesOut,
  },
  PUT: {
    summary: "Replace the job preferences",
    auth: "user",
    body: PreferencesBody,
    response: PreferencesOut,
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    return Response.json(await getPreferences(user.id));
  },
  async PUT(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const input = assertStorableText(await parseJson(ctx.req, api.PUT.body));
    return Response.json(await putPreferences(user.id, input));
  },
};

import { defineRoute, op } from "@/web/define_route.ts";
import { PreferencesBody, PreferencesOut } from "@/core/profile_schemas.ts";
import { getPreferences, putPreferences } from "@/db/preferences.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary: "The caller's job preferences (the defaults until saved)",
    auth: "user",
    response: PreferencesOut,
    handler: (_ctx, { app, user }) => getPreferences(app.sql, user.id),
  }),
  PUT: op({
    summary: "Replace the job preferences",
    auth: "user",
    body: PreferencesBody,
    response: PreferencesOut,
    handler: (_ctx, { app, user, body }) => putPreferences(app.sql, user.id, body),
  }),
});

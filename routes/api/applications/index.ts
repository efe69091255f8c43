import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { ApplicationOut, CreateApplication, ListApplicationsQuery } from "@/core/application_schemas.ts";
import { createApplication, listApplications } from "@/db/applications.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary: "Track a job (status defaults to applied); the match score is stored; 409 when already tracked",
    auth: "user",
    body: CreateApplication,
    response: ApplicationOut,
    status: 201,
    handler: (_ctx, { app, user, body }) => createApplication(app.sql, user.id, body),
  }),
  GET: op({
    summary: "The caller's applications, most recently active first",
    auth: "user",
    query: ListApplicationsQuery,
    response: z.object({ items: z.array(ApplicationOut) }),
    handler: async (_ctx, { app, user, query }) => ({
      items: await listApplications(app.sql, user.id, query.status),
    }),
  }),
});

import { defineRoute, op } from "@/web/define_route.ts";
import { ImportBody, ImportOut } from "@/core/job_import_schemas.ts";
import { importJobs } from "@/services/imports/job_import.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary: "Bulk upsert of jobs by external_id (companies by domain); bad rows are rejected one by one",
    auth: "admin",
    body: ImportBody,
    response: ImportOut,
    handler: (_ctx, { app, body }) => importJobs(app.sql, body.jobs),
  }),
});

import { defineRoute, op } from "@/web/define_route.ts";
import { ResumeBody, ResumeOut } from "@/core/profile_schemas.ts";
import { getResume, putResume } from "@/db/resumes.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary: "The caller's resume (empty until saved)",
    auth: "user",
    response: ResumeOut,
    handler: (_ctx, { app, user }) => getResume(app.sql, user.id),
  }),
  PUT: op({
    summary: "Replace the resume; without skills, they are found in raw_text",
    auth: "user",
    body: ResumeBody,
    response: ResumeOut,
    handler: (_ctx, { app, user, body }) => putResume(app.sql, user.id, body),
  }),
});

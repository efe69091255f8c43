import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { ResumeBody, ResumeOut } from "@/core/profile_schemas.ts";
import { parseJson } from "@/core/validate.ts";
import { getResume, putResume } from "@/db/resumes.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";
import { assertStorableText } from "@/core/text_guard.ts";

export const api = defineApi({
  GET: { summary: "The caller's resume (empty until saved)", auth: "user", response: ResumeOut },
  PUT: {
    summary: "Replace the resume; without skills, they are found in raw_text",
    auth: "user",
    body: ResumeBody,
    response: ResumeOut,
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    return Response.json(await getResume(user.id));
  },
  async PUT(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const input = assertStorableText(await parseJson(ctx.req, api.PUT.body));
    return Response.json(await putResume(user.id, input));
  },
};

import { z } from "zod";
import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { ApplicationOut, CreateApplication, ListApplicationsQuery } from "@/core/application_schemas.ts";
import { parseJson, parseQuery } from "@/core/validate.ts";
import { createApplication, listApplications } from "@/db/applications.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";
import { assertStorableText, storableUrl } from "@/core/text_guard.ts";

export const api = defineApi({
  POST: {
    summary: "Track a job (status defaults to applied); the match score is stored; 409 when already tracked",
    auth: "user",
    body: CreateApplication,
    response: ApplicationOut,
    status: 201,
  },
  GET: {
    summary: "The caller's applications, most recently active first",
    auth: "user",
    query: ListApplicationsQuery,
    response: z.object({ items: z.array(ApplicationOut) }),
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const input = assertStorableText(await parseJson(ctx.req, api.POST.body));
    return Response.json(await createApplication(user.id, input), { status: 201 });
  },
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const { status } = parseQuery(storableUrl(ctx.url), api.GET.query);
    return Response.json({ items: await listApplications(user.id, status) });
  },
};

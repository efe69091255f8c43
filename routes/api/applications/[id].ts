import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { ApplicationOut, UpdateApplication } from "@/core/application_schemas.ts";
import { HttpError } from "@/core/http_error.ts";
import { parseId, parseJson } from "@/core/validate.ts";
import { deleteApplication, getApplication, updateApplication } from "@/db/applications.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";
import { assertStorableText } from "@/core/text_guard.ts";

export const api = defineApi({
  GET: {
    summary: "One of the caller's applications (another user's id is a 404)",
    auth: "user",
    response: ApplicationOut,
  },
  PATCH: {
    summary:
      "Move along the pipeline (forward, one step back, to/from rejected) or edit notes, interviews, offer",
    auth: "user",
    body: UpdateApplication,
    response: ApplicationOut,
  },
  DELETE: { summary: "Stop tracking (its outreach is deleted with it)", auth: "user", status: 204 },
});

const notFound = () => new HttpError(404, "application not found");

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const application = await getApplication(user.id, parseId(ctx.params.id, "application"));
    if (!application) throw notFound();
    return Response.json(application);
  },
  async PATCH(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const id = parseId(ctx.params.id, "application");
    const input = assertStorableText(await parseJson(ctx.req, api.PATCH.body));
    const application = await updateApplication(user.id, id, input);
    if (!application) throw notFound();
    return Response.json(application);
  },
  async DELETE(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    if (!(await deleteApplication(user.id, parseId(ctx.params.id, "application")))) throw notFound();
    return new Response(null, { status: 204 });
  },
};

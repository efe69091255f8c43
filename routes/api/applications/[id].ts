import { defineRoute, op } from "@/web/define_route.ts";
import { ApplicationOut, UpdateApplication } from "@/core/application_schemas.ts";
import { HttpError } from "@/core/http_error.ts";
import { parseId } from "@/core/validate.ts";
import { deleteApplication, getApplication, updateApplication } from "@/db/applications.ts";

const notFound = () => new HttpError(404, "application not found");

export const { handler, api } = defineRoute({
  GET: op({
    summary: "One of the caller's applications (another user's id is a 404)",
    auth: "user",
    response: ApplicationOut,
    handler: async (ctx, { app, user }) => {
      const application = await getApplication(app.sql, user.id, parseId(ctx.params.id, "application"));
      if (!application) throw notFound();
      return application;
    },
  }),
  PATCH: op({
    summary:
      "Move along the pipeline (forward, one step back, to/from rejected) or edit notes, interviews, offer",
    auth: "user",
    before: (ctx) => void parseId(ctx.params.id, "application"),
    body: UpdateApplication,
    response: ApplicationOut,
    handler: async (ctx, { app, user, body }) => {
      const application = await updateApplication(
        app.sql,
        user.id,
        parseId(ctx.params.id, "application"),
        body,
      );
      if (!application) throw notFound();
      return application;
    },
  }),
  DELETE: op({
    summary: "Stop tracking (its outreach is deleted with it)",
    auth: "user",
    status: 204,
    handler: async (ctx, { app, user }) => {
      if (!(await deleteApplication(app.sql, user.id, parseId(ctx.params.id, "application")))) {
        throw notFound();
      }
      return new Response(null, { status: 204 });
    },
  }),
});

import { defineRoute, op } from "@/web/define_route.ts";
import { HttpError } from "@/core/http_error.ts";
import { SequenceOut, UpdateSequence } from "@/core/outreach_schemas.ts";
import { parseId } from "@/core/validate.ts";
import { deleteSequence, getSequence, updateSequence } from "@/db/sequences.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary: "One sequence (platform or own)",
    auth: "user",
    response: SequenceOut,
    handler: async (ctx, { app, user }) => {
      const sequence = await getSequence(app.sql, user.id, parseId(ctx.params.id, "sequence"));
      if (!sequence) throw new HttpError(404, "sequence not found");
      return sequence;
    },
  }),
  PATCH: op({
    summary: "Edit an own sequence; platform templates are read-only (403)",
    auth: "user",
    body: UpdateSequence,
    response: SequenceOut,
    before: (ctx) => void parseId(ctx.params.id, "sequence"),
    handler: (ctx, { app, user, body }) =>
      updateSequence(app.sql, user.id, parseId(ctx.params.id, "sequence"), body),
  }),
  DELETE: op({
    summary: "Delete an own sequence (queued outreach keeps its copies)",
    auth: "user",
    status: 204,
    handler: async (ctx, { app, user }) => {
      await deleteSequence(app.sql, user.id, parseId(ctx.params.id, "sequence"));
      return new Response(null, { status: 204 });
    },
  }),
});

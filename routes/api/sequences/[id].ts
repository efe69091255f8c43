import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { HttpError } from "@/core/http_error.ts";
import { SequenceOut, UpdateSequence } from "@/core/outreach_schemas.ts";
import { assertStorableText } from "@/core/text_guard.ts";
import { parseId, parseJson } from "@/core/validate.ts";
import { deleteSequence, getSequence, updateSequence } from "@/db/sequences.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: { summary: "One sequence (platform or own)", auth: "user", response: SequenceOut },
  PATCH: {
    summary: "Edit an own sequence; platform templates are read-only (403)",
    auth: "user",
    body: UpdateSequence,
    response: SequenceOut,
  },
  DELETE: { summary: "Delete an own sequence (queued outreach keeps its copies)", auth: "user", status: 204 },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const sequence = await getSequence(user.id, parseId(ctx.params.id, "sequence"));
    if (!sequence) throw new HttpError(404, "sequence not found");
    return Response.json(sequence);
  },
  async PATCH(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const id = parseId(ctx.params.id, "sequence");
    const input = assertStorableText(await parseJson(ctx.req, api.PATCH.body));
    return Response.json(await updateSequence(user.id, id, input));
  },
  async DELETE(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    await deleteSequence(user.id, parseId(ctx.params.id, "sequence"));
    return new Response(null, { status: 204 });
  },
};

import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { HttpError } from "@/core/http_error.ts";
import { ContactDetailOut, UpdateContact } from "@/core/outreach_schemas.ts";
import { assertStorableText } from "@/core/text_guard.ts";
import { parseId, parseJson } from "@/core/validate.ts";
import { getContact, updateContact } from "@/db/contact_edit.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: {
    summary: "One contact with its opt-out and bounce state, and whether the caller may edit it",
    auth: "user",
    response: ContactDetailOut,
  },
  PATCH: {
    summary: "Change a contact's name, title, email, LinkedIn URL or notes; only its creator may (403)",
    auth: "user",
    body: UpdateContact,
    response: ContactDetailOut,
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const contact = await getContact(user.id, parseId(ctx.params.id, "contact"));
    if (!contact) throw new HttpError(404, "contact not found");
    return Response.json(contact);
  },
  async PATCH(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const id = parseId(ctx.params.id, "contact");
    const changes = assertStorableText(await parseJson(ctx.req, api.PATCH.body));
    return Response.json(await updateContact(user.id, id, changes));
  },
};

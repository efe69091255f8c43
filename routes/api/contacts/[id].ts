import { defineRoute, op } from "@/web/define_route.ts";
import { HttpError } from "@/core/http_error.ts";
import { ContactDetailOut, UpdateContact } from "@/core/outreach_schemas.ts";
import { parseId } from "@/core/validate.ts";
import { getContact, updateContact } from "@/db/contact_edit.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary: "One contact with its opt-out and bounce state, and whether the caller may edit it",
    auth: "user",
    response: ContactDetailOut,
    handler: async (ctx, { app, user }) => {
      const contact = await getContact(app.sql, user.id, parseId(ctx.params.id, "contact"));
      if (!contact) throw new HttpError(404, "contact not found");
      return contact;
    },
  }),
  PATCH: op({
    summary: "Change a contact's name, title, email, LinkedIn URL or notes; only its creator may (403)",
    auth: "user",
    before: (ctx) => void parseId(ctx.params.id, "contact"),
    body: UpdateContact,
    response: ContactDetailOut,
    handler: (ctx, { app, user, body }) =>
      updateContact(app.sql, user.id, parseId(ctx.params.id, "contact"), body),
  }),
});

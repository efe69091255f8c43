import { defineRoute, op } from "@/web/define_route.ts";
import { ContactOut, CreateContact } from "@/core/outreach_schemas.ts";
import { createContact } from "@/db/contacts.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary: "Add a contact at a company; the same email (any case) at the same company answers 200 with it",
    auth: "user",
    body: CreateContact,
    response: ContactOut,
    status: 201,
    handler: async (_ctx, { app, user, body }) => {
      const { company_id, ...input } = body;
      const { contact, created } = await createContact(app.sql, user.id, company_id, input);
      // 201 or 200 depends on the outcome, so the answer is made here
      return Response.json(contact, { status: created ? 201 : 200 });
    },
  }),
});

import { defineRoute, op } from "@/web/define_route.ts";
import { ContactOut } from "@/core/outreach_schemas.ts";
import { verifyContact } from "@/services/deliverability/contact_checks.ts";
import { parseId } from "@/core/validate.ts";
import { findContact } from "@/db/contacts.ts";
import { HttpError } from "@/core/http_error.ts";

export const { handler, api } = defineRoute({
  POST: op({
    summary: "Verify the contact's address now (syntax, MX or A, disposable and role lists, the SMTP probe " +
      "when on) and store the result for 90 days",
    auth: "user",
    response: ContactOut,
    handler: async (ctx, { app, user }) => {
      const id = parseId(ctx.params.id, "contact");
      await verifyContact(app, user.id, id);
      const contact = await findContact(app.sql, user.id, id);
      if (!contact) throw new HttpError(404, "contact not found");
      return contact;
    },
  }),
});

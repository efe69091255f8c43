import { defineApi } from "../../../../lib/api.ts";
import { requireUser } from "../../../../lib/auth.ts";
import { ContactOut } from "../../../../lib/outreach_schemas.ts";
import { verifyContact } from "../../../../lib/deliverability/contact_checks.ts";
import { parseId } from "../../../../lib/validate.ts";
import { findContact } from "../../../../db/contacts.ts";
import { HttpError } from "../../../../lib/http_error.ts";
import type { FreshContext } from "../../../../fresh/types.ts";
import type { AppState } from "../../../../lib/state.ts";

export const api = defineApi({
  POST: {
    summary: "Verify the contact's address now (syntax, MX or A, disposable and role lists, the SMTP probe " +
      "when on) and store the result for 90 days",
    auth: "user",
    response: ContactOut,
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const id = parseId(ctx.params.id, "contact");
    await verifyContact(user.id, id);
    const contact = await findContact(user.id, id);
    if (!contact) throw new HttpError(404, "contact not found");
    return Response.json(contact);
  },
};

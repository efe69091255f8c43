import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { ContactOut } from "@/core/outreach_schemas.ts";
import { verifyContact } from "@/services/deliverability/contact_checks.ts";
import { parseId } from "@/core/validate.ts";
import { findContact } from "@/db/contacts.ts";
import { HttpError } from "@/core/http_error.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

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

import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { ContactOut, CreateContact } from "@/core/outreach_schemas.ts";
import { assertStorableText } from "@/core/text_guard.ts";
import { parseJson } from "@/core/validate.ts";
import { createContact } from "@/db/contacts.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  POST: {
    summary: "Add a contact at a company; the same email (any case) at the same company answers 200 with it",
    auth: "user",
    body: CreateContact,
    response: ContactOut,
    status: 201,
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const { company_id, ...input } = assertStorableText(await parseJson(ctx.req, api.POST.body));
    const { contact, created } = await createContact(user.id, company_id, input);
    return Response.json(contact, { status: created ? 201 : 200 });
  },
};

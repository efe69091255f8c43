import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { parseContactImport } from "@/services/imports/contact_import.ts";
import { ImportContacts, ImportResult } from "@/core/outreach_schemas.ts";
import { assertImportSize } from "@/services/accounts/plans.ts";
import { parseId } from "@/core/validate.ts";
import { importContacts } from "@/db/contacts.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  POST: {
    summary: "Import contacts for the company: text/csv with a header row (full_name, email, first_name, " +
      "last_name, title, linkedin_url, source) or JSON {contacts: [...]}; bad rows come back in rejected",
    auth: "user",
    body: ImportContacts,
    response: ImportResult,
  },
});

export const handler = {
  async POST(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const companyId = parseId(ctx.params.id, "company");
    const { rows, rejected } = await parseContactImport(ctx.req);
    await assertImportSize(ctx.state.app.sql, user.id, rows.length);
    const counts = await importContacts(user.id, companyId, rows);
    return Response.json({ ...counts, rejected });
  },
};

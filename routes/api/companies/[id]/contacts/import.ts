import { defineRoute, op } from "@/web/define_route.ts";
import { parseContactImport } from "@/services/imports/contact_import.ts";
import { ImportContacts, ImportResult } from "@/core/outreach_schemas.ts";
import { assertImportSize } from "@/services/accounts/plans.ts";
import { parseId } from "@/core/validate.ts";
import { importContacts } from "@/db/contacts.ts";

const route = defineRoute({
  POST: op({
    summary: "Import contacts for the company: text/csv with a header row (full_name, email, first_name, " +
      "last_name, title, linkedin_url, source) or JSON {contacts: [...]}; bad rows come back in rejected",
    auth: "user",
    response: ImportResult,
    // The body (CSV streamed row by row, or JSON) is read by parseContactImport, not by the declaration.
    handler: async (ctx, { app, user }) => {
      const companyId = parseId(ctx.params.id, "company");
      const { rows, rejected } = await parseContactImport(ctx.req);
      await assertImportSize(app.sql, user.id, rows.length);
      const counts = await importContacts(app.sql, user.id, companyId, rows);
      return { ...counts, rejected };
    },
  }),
});

export const handler = route.handler;
/** The JSON form of the body is documented; its rows are checked one by one (bad ones come back rejected). */
export const api = { POST: { ...route.api.POST, body: ImportContacts } };

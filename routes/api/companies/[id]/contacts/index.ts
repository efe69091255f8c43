import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { ContactOut } from "@/core/outreach_schemas.ts";
import { parseId } from "@/core/validate.ts";
import { listContactsForCompany } from "@/db/contacts.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary:
      "The company's contacts; opted-out ones last, marked opted_out, with bounce and complaint counts",
    auth: "user",
    response: z.object({ items: z.array(ContactOut) }),
    handler: async (ctx, { app, user }) => ({
      items: await listContactsForCompany(app.sql, user.id, parseId(ctx.params.id, "company")),
    }),
  }),
});

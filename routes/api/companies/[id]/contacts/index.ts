import { z } from "zod";
import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { ContactOut } from "@/core/outreach_schemas.ts";
import { parseId } from "@/core/validate.ts";
import { listContactsForCompany } from "@/db/contacts.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: {
    summary:
      "The company's contacts; opted-out ones last, marked opted_out, with bounce and complaint counts",
    auth: "user",
    response: z.object({ items: z.array(ContactOut) }),
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    return Response.json({ items: await listContactsForCompany(user.id, parseId(ctx.params.id, "company")) });
  },
};

import { z } from "zod";
import { defineApi } from "@/web/api.ts";
import { requireUser } from "@/web/auth.ts";
import { CreateSequence, SequenceOut } from "@/core/outreach_schemas.ts";
import { assertStorableText } from "@/core/text_guard.ts";
import { parseJson } from "@/core/validate.ts";
import { createSequence, listSequences } from "@/db/sequences.ts";
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";

export const api = defineApi({
  GET: {
    summary: "The platform's sequence templates and the caller's own",
    auth: "user",
    response: z.object({ items: z.array(SequenceOut) }),
  },
  POST: {
    summary: "Create a sequence: steps numbered 1..n, delays in hours from the start, never decreasing",
    auth: "user",
    body: CreateSequence,
    response: SequenceOut,
    status: 201,
  },
});

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    return Response.json({ items: await listSequences(user.id) });
  },
  async POST(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const input = assertStorableText(await parseJson(ctx.req, api.POST.body));
    return Response.json(await createSequence(user.id, input), { status: 201 });
  },
};

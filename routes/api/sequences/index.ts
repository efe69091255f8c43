import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { CreateSequence, SequenceOut } from "@/core/outreach_schemas.ts";
import { createSequence, listSequences } from "@/db/sequences.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary: "The platform's sequence templates and the caller's own",
    auth: "user",
    response: z.object({ items: z.array(SequenceOut) }),
    handler: async (_ctx, { app, user }) => ({ items: await listSequences(app.sql, user.id) }),
  }),
  POST: op({
    summary: "Create a sequence: steps numbered 1..n, delays in hours from the start, never decreasing",
    auth: "user",
    body: CreateSequence,
    response: SequenceOut,
    status: 201,
    handler: (_ctx, { app, user, body }) => createSequence(app.sql, user.id, body),
  }),
});

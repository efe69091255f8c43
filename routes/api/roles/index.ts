import { z } from "zod";
import { defineRoute, op } from "@/web/define_route.ts";
import { recruiterOnly } from "@/web/recruiter_only.ts";
import { CreateRole, RoleOut } from "@/core/role_schemas.ts";
import { createRole } from "@/services/roles/roles.ts";
import { getRole, listRoles } from "@/db/roles.ts";

export const { handler, api } = defineRoute({
  GET: op({
    summary: "Recruiter mode: the roles being filled, each with its candidate pipeline counts",
    auth: "user",
    before: recruiterOnly(),
    response: z.object({ items: z.array(RoleOut) }),
    handler: async (_ctx, { app, user }) => ({ items: await listRoles(app.sql, user.id) }),
  }),
  POST: op({
    summary: "Recruiter mode: fill a job ({job_id}) or a new private role for a client ({title, company})",
    auth: "user",
    before: recruiterOnly(),
    body: CreateRole,
    response: RoleOut,
    status: 201,
    handler: async (_ctx, { app, user, body }) =>
      await getRole(app.sql, user.id, await createRole(app.sql, user.id, body)),
  }),
});

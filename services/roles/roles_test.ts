import assert from "node:assert/strict";
import { HttpError } from "@/core/http_error.ts";
import { listCandidates, listRoles } from "@/db/roles.ts";
import { useTestApp } from "@/tests/helpers/app.ts";
import { createRole, requireRecruiter, sourceCandidate } from "./roles.ts";

Deno.test("requireRecruiter - a job seeker gets 404, a recruiter passes", () => {
  assert.throws(
    () => requireRecruiter({ mode: "job_seeker" }),
    (e) => e instanceof HttpError && e.status === 404,
  );
  requireRecruiter({ mode: "recruiter" });
});

Deno.test("roles service - on its own database", async (step) => {
  const t = await useTestApp("roles_service");
  const sql = t.app.sql;
  try {
    const [{ id: recruiterId }] = await sql<{ id: number }[]>`
      insert into users (email, full_name, email_verified, mode)
      values ('rita@recruit.test', 'Rita', true, 'recruiter') returning id`;

    await step.step(
      "createRole - a client role is a private job at a company found by its domain",
      async () => {
        const first = await createRole(sql, recruiterId, {
          title: "Platform Lead",
          company: { name: "Client Co", domain: "Client.test" },
        });
        const second = await createRole(sql, recruiterId, {
          title: "SRE",
          company: { name: "Client Company", domain: "client.test" },
        });
        const roles = await listRoles(sql, recruiterId);
        const [a, b] = [first, second].map((id) => roles.find((r) => r.id === id)!);
        assert.equal(a.job.private, true);
        assert.equal(a.company.id, b.company.id, "the same domain is the same company");
        assert.equal(a.company.domain, "client.test");
        assert.deepEqual(a.pipeline, {
          sourced: 0,
          contacted: 0,
          replied: 0,
          interviewing: 0,
          submitted: 0,
          hired: 0,
        });
      },
    );

    await step.step(
      "sourceCandidate - a new person becomes a contact at their company, sourced",
      async () => {
        const roleId = await createRole(sql, recruiterId, {
          title: "Data Lead",
          company: { name: "Hiring Co" },
        });
        const person = {
          full_name: "Pat Passive",
          email: "pat@employer.test",
          company: { name: "Employer", domain: "employer.test" },
        };
        const candidateId = await sourceCandidate(sql, recruiterId, roleId, person);
        const again = await sourceCandidate(sql, recruiterId, roleId, {
          ...person,
          email: "PAT@employer.test",
        });
        assert.equal(
          again,
          candidateId,
          "the same email (any case) at the same company is the same candidate",
        );
        const [candidate] = await listCandidates(sql, recruiterId, roleId);
        assert.equal(candidate.id, candidateId);
        assert.equal(candidate.stage, "sourced");
        assert.deepEqual([candidate.contact.full_name, candidate.contact.company], [
          "Pat Passive",
          "Employer",
        ]);
      },
    );
  } finally {
    await t.close();
  }
});

import assert from "node:assert/strict";
import { useTestApp } from "@/tests/helpers/app.ts";
import { importJobs } from "@/services/imports/job_import.ts";
import { listItem, rowsOf } from "./job_rows.ts";

Deno.test("rowsOf, listItem - a job's row carries its company and match columns; the item is what the list shows", async () => {
  const t = await useTestApp("job_rows");
  try {
    const imported = await importJobs(t.app.sql, [
      {
        external_id: "r-1",
        source: "test",
        title: "Backend Engineer",
        company: { name: "Acme", domain: "acme.test", size: "51-200", tech_stack: ["Go"] },
        description: "We write Go and PostgreSQL.",
        comp_min: 90_000,
        comp_max: 120_000,
        posted_date: "2026-10-01T12:00:00Z",
      },
      { external_id: "r-2", source: "test", title: "Nurse", company: { name: "Care", domain: "care.test" } },
    ]);
    assert.equal(imported.inserted, 2);
    const rows = await t.app.sql.begin((tx) =>
      rowsOf(tx, tx`select id from jobs where external_id in ('r-1', 'r-2')`)
    );
    const [backend, nurse] = rows.sort((a, b) => a.id - b.id);
    assert.equal(backend.company_name, "Acme");
    assert.equal(backend.company_domain, "acme.test");
    assert.deepEqual(backend.company_tech_stack, ["Go"]);
    assert.deepEqual(backend.skills, ["Go", "PostgreSQL"]);
    assert.equal(backend.posted_date?.toISOString(), "2026-10-01T12:00:00.000Z");
    assert.match(backend.posted_key ?? "", /^2026-10-01 12:00:00/);
    assert.equal(nurse.posted_key, null);

    const item = listItem(backend, { score: 80, category: "strong", reasons: ["ignored in a list"] });
    assert.deepEqual(item, {
      id: backend.id,
      title: "Backend Engineer",
      company: { id: backend.company_id, name: "Acme", domain: "acme.test" },
      location: null,
      remote: false,
      comp_min: 90_000,
      comp_max: 120_000,
      posted_date: backend.posted_date,
      match: { score: 80, category: "strong" },
    });
  } finally {
    await t.close();
  }
});

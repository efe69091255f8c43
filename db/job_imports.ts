/**
 * The job import (owner pool, admin only): companies upserted by domain, jobs by external_id, a batch per
 * transaction, and row-by-row retries so that only the rows the database refuses are rejected.
 */
import type { Sql, Tx } from "./client.ts";
import type { ImportJobRow } from "@/core/job_import_schemas.ts";

export interface ImportResult {
  inserted: number;
  updated: number;
  companies_created: number;
  rejected: { index: number; error: string }[];
}

type Indexed = { index: number; row: ImportJobRow };

/** Upserts one batch in one statement per table; returns the counts. */
async function upsertBatch(tx: Tx, rows: Indexed[]): Promise<Omit<ImportResult, "rejected">> {
  const companies = new Map<string, ImportJobRow["company"]>();
  for (const { row } of rows) {
    if (!companies.has(row.company.domain)) companies.set(row.company.domain, row.company);
  }
  const companyRecords = [...companies.values()].map((c) => ({
    name: c.name,
    domain: c.domain,
    size: c.size ?? null,
    industry: c.industry ?? null,
    tech_stack: c.tech_stack ?? [],
  }));
  const created = await tx<{ created: boolean }[]>`
    insert into companies (name, domain, size, industry, tech_stack)
    select x.name, x.domain, x.size, x.industry, x.tech_stack
    from jsonb_to_recordset(${tx.json(companyRecords)}::jsonb)
      as x(name varchar, domain varchar, size varchar, industry varchar, tech_stack jsonb)
    on conflict (domain) do update set
      name = excluded.name,
      size = coalesce(excluded.size, companies.size),
      industry = coalesce(excluded.industry, companies.industry),
      tech_stack = case when excluded.tech_stack = '[]'::jsonb then companies.tech_stack else excluded.tech_stack end
    returning (xmax = 0) as created`;
  const jobRecords = rows.map(({ row }) => ({
    external_id: row.external_id,
    source: row.source,
    title: row.title,
    domain: row.company.domain,
    location: row.location ?? null,
    remote: row.remote ?? false,
    job_type: row.job_type ?? "full-time",
    description: row.description ?? null,
    comp_min: row.comp_min ?? null,
    comp_max: row.comp_max ?? null,
    requires_visa_sponsorship: row.requires_visa_sponsorship ?? false,
    posted_date: row.posted_date ?? null,
    expires_at: row.expires_at ?? null,
    skills: row.skills,
    skills_nice: row.skills_nice,
  }));
  const jobs = await tx<{ inserted: boolean }[]>`
    insert into jobs (external_id, source, title, company_id, location, remote, job_type, description, comp_min,
                      comp_max, requires_visa_sponsorship, posted_date, expires_at, skills, skills_nice,
                      scraped_at)
    select x.external_id, x.source, x.title, c.id, x.location, x.remote, x.job_type, x.description, x.comp_min,
           x.comp_max, x.requires_visa_sponsorship, x.posted_date,
           coalesce(x.expires_at, now() + interval '90 days'), x.skills, x.skills_nice, now()
    from jsonb_to_recordset(${tx.json(jobRecords)}::jsonb)
      as x(external_id varchar, source varchar, title varchar, domain varchar, location varchar, remote boolean,
           job_type varchar, description text, comp_min int, comp_max int, requires_visa_sponsorship boolean,
           posted_date timestamptz, expires_at timestamptz, skills jsonb, skills_nice jsonb)
    join companies c on c.domain = x.domain
    on conflict (external_id) do update set
      source = excluded.source, title = excluded.title, company_id = excluded.company_id,
      location = excluded.location, remote = excluded.remote, job_type = excluded.job_type,
      description = excluded.description, comp_min = excluded.comp_min, comp_max = excluded.comp_max,
      requires_visa_sponsorship = excluded.requires_visa_sponsorship,
      posted_date = coalesce(excluded.posted_date, jobs.posted_date), expires_at = excluded.expires_at,
      skills = excluded.skills, skills_nice = excluded.skills_nice, scraped_at = now()
    returning (xmax = 0) as inserted`;
  return {
    inserted: jobs.filter((j) => j.inserted).length,
    updated: jobs.filter((j) => !j.inserted).length,
    companies_created: created.filter((c) => c.created).length,
  };
}

/**
 * Imports validated rows: the whole batch in one transaction; if the database refuses it (a value only
 * it can judge), row by row so that only the bad rows are rejected, each with the database's reason.
 */
export async function importJobBatch(sql: Sql, rows: Indexed[]): Promise<ImportResult> {
  if (rows.length === 0) return { inserted: 0, updated: 0, companies_created: 0, rejected: [] };
  try {
    const counts = await sql.begin((tx) => upsertBatch(tx, rows));
    return { ...counts, rejected: [] };
  } catch (error) {
    if (!isDataError(error) || rows.length === 1) {
      if (rows.length === 1 && isDataError(error)) {
        return {
          inserted: 0,
          updated: 0,
          companies_created: 0,
          rejected: [{ index: rows[0].index, error: dbReason(error) }],
        };
      }
      throw error;
    }
  }
  const total: ImportResult = { inserted: 0, updated: 0, companies_created: 0, rejected: [] };
  for (const row of rows) {
    const one = await importJobBatch(sql, [row]);
    total.inserted += one.inserted;
    total.updated += one.updated;
    total.companies_created += one.companies_created;
    total.rejected.push(...one.rejected);
  }
  return total;
}

/** Class 22 (data exception) and 23 (integrity constraint): the row's fault, not the server's. */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? "";
  return code.startsWith("22") || code.startsWith("23");
}

function dbReason(error: unknown): string {
  const e = error as { message?: string; constraint_name?: string };
  return `refused by the database: ${e.constraint_name ?? e.message ?? "invalid value"}`;
}

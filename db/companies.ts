/** Companies: the shared catalogue of employers, written by the job import, read by everyone. */
import { type Sql, withUser } from "./client.ts";

export interface CompanySummary {
  id: number;
  name: string;
  domain: string | null;
  size: string | null;
  industry: string | null;
}

/**
 * Companies whose name looks like `q` (pg_trgm similarity or a substring, both served by the seed's
 * `idx_companies_name_trgm`), best first; without `q` the first ones by name. A lookup that tolerates a
 * little staleness: callers pass a replica's pool when one is fresh enough (`app.replicas.readSql`, db/replicas.ts).
 */
export async function searchCompanies(
  sql: Sql,
  q: string | undefined,
  limit = 20,
): Promise<CompanySummary[]> {
  if (!q) {
    return await sql<CompanySummary[]>`
      select id, name, domain, size, industry from companies order by name, id limit ${limit}::int`;
  }
  const like = `%${q.replace(/[\\%_]/g, "\\$&")}%`;
  return await sql<CompanySummary[]>`
    select id, name, domain, size, industry
    from companies
    where name % ${q}::text or name ilike ${like}::text
    order by similarity(name, ${q}::text) desc, name, id
    limit ${limit}::int`;
}

export interface CompanyContact {
  id: number;
  full_name: string;
  title: string | null;
  /** Null while a contact added by name has no address (migration 0075). */
  email: string | null;
  linkedin_url: string | null;
  opted_out: boolean;
}

/**
 * The known people at a company, for the job page (the outreach engineer's API creates them). Read as
 * the user (`withUser`): contacts are a shared catalogue that app_user may read.
 */
export function listCompanyContacts(sql: Sql, userId: number, companyId: number): Promise<CompanyContact[]> {
  return withUser(sql, userId, (tx) =>
    tx<CompanyContact[]>`
      select id, full_name, title, contact_address(email) as email, linkedin_url,
        coalesce(opted_out, false) as opted_out
      from contacts where company_id = ${companyId}::int
      order by opted_out, full_name, id
      limit 50`);
}

/** Names of the given companies (the settings page lists the user's hidden ones). */
export async function getCompaniesByIds(sql: Sql, ids: number[]): Promise<CompanySummary[]> {
  if (ids.length === 0) return [];
  return await sql<CompanySummary[]>`
    select id, name, domain, size, industry from companies where id = any(${ids}::int[]) order by name, id`;
}

/**
 * The sharding plan (docs/scaling.md, "Sharding with Citus") as data, so that a test can hold the schema to
 * it: db/shard_plan_test.ts reads the catalog and fails when a table is not placed here, when a tenant table
 * is neither distributed by `user_id` nor reached only through one that is, or when a unique index or a
 * foreign key between tenant tables leaves the distribution column out without a reason written below.
 *
 * Nothing here runs in production: Citus is not part of the deployment yet. The plan is what the schema must
 * stay ready for.
 */
import type { Sql } from "./client.ts";

export type Placement =
  /** Sharded by `column` (the user), co-located with every other tenant table. */
  | { kind: "distributed"; column: "user_id" | "id" }
  /**
   * A tenant table without the column today: every row belongs to exactly one row of `parent` (through
   * `column`), so it is sharded with it; the sharding migration adds `user_id` (docs/scaling.md).
   */
  | { kind: "via"; column: string; parent: string }
  /** Shared catalogue, copied to every node (small, read by everyone, written rarely). */
  | { kind: "reference"; why: string }
  /** Kept on the coordinator only (operations state, not user data). */
  | { kind: "local"; why: string };

export const SHARD_PLAN: Record<string, Placement> = {
  users: { kind: "distributed", column: "id" },
  applications: { kind: "distributed", column: "user_id" },
  resumes: { kind: "distributed", column: "user_id" },
  job_preferences: { kind: "distributed", column: "user_id" },
  sessions: { kind: "distributed", column: "user_id" },
  sequence_templates: { kind: "distributed", column: "user_id" },
  match_scores: { kind: "distributed", column: "user_id" },
  outreach_funnel_daily: { kind: "distributed", column: "user_id" },
  live_pages: { kind: "distributed", column: "user_id" },
  live_page_visits: { kind: "via", column: "page_id", parent: "live_pages" },
  account_tokens: { kind: "distributed", column: "user_id" },
  role_candidates: { kind: "distributed", column: "user_id" },
  send_charges: { kind: "distributed", column: "user_id" },
  usage_daily: { kind: "distributed", column: "user_id" },
  match_candidates: { kind: "distributed", column: "user_id" },
  match_candidate_state: { kind: "distributed", column: "user_id" },
  session_activity: { kind: "via", column: "session_id", parent: "sessions" },
  outreach: { kind: "via", column: "application_id", parent: "applications" },
  outreach_events: { kind: "via", column: "outreach_id", parent: "outreach" },
  companies: { kind: "reference", why: "the employer catalogue every user searches" },
  jobs: { kind: "reference", why: "the job catalogue every user searches; written by the import only" },
  contacts: {
    kind: "reference",
    why: "people at companies, shared by every user who writes to that company",
  },
  mailboxes: { kind: "local", why: "shared sending capacity, reserved on every send: one place to count it" },
  mailbox_counter_resets: { kind: "local", why: "the daily reset's own bookkeeping" },
  mailbox_daily_stats: { kind: "local", why: "per-mailbox daily counters, kept beside the mailboxes" },
  job_runs: { kind: "local", why: "scheduled-job claims, one per tick for the whole cluster" },
  rate_limits: { kind: "local", why: "login throttling by address, before any user is known" },
  webhook_tokens: { kind: "local", why: "Mailgun replay protection, before the outreach is known" },
  outbox_messages: { kind: "local", why: "the development outbox transport; empty in production" },
  schema_migrations: { kind: "local", why: "the migration runner's ledger" },
  admin_sessions: { kind: "local", why: "operator sessions, not user data" },
  plan_limits: { kind: "reference", why: "the limits of each plan tier, read on every send and enrollment" },
  inbound_messages: {
    kind: "local",
    why: "every inbound message lands before it is matched (unmatched mail never is, and the admin reviews " +
      "it); at sharding, matched rows move beside their application by application_id",
  },
  outreach_funnel_template_daily: {
    kind: "local",
    why: "the admin's cross-user rollup per template, rebuilt from outreach_funnel_daily",
  },
};

/**
 * Unique indexes of tenant tables that do not include the distribution column, and why that is fine or
 * what the sharding migration does about it. Keyed by index name.
 */
export const UNIQUE_EXCEPTIONS: Record<string, string> = {
  applications_pkey:
    "ids come from one sequence, so they stay unique; the key becomes (user_id, id) at sharding",
  resumes_pkey: "as applications_pkey; resumes_user_id_key already holds one resume per user",
  job_preferences_pkey: "as applications_pkey; job_preferences_user_id_key already holds one row per user",
  sessions_pkey: "as applications_pkey",
  sessions_token_hash_key: "a session is found by its token before its user is known: at sharding the " +
    "token lookup moves to a coordinator-local table (token_hash primary key, user_id)",
  sequence_templates_pkey: "as applications_pkey",
  idx_sequence_platform_name: "platform templates (user_id null) move to the reference table " +
    "platform_sequence_templates; this index goes with them",
  users_email_key: "one account per email across the cluster: enforced by a coordinator-local user_emails " +
    "(email primary key, user_id) written in the sign-up transaction",
  users_email_lower_key: "as users_email_key (case-insensitive form)",
  users_stripe_customer_id_key: "as users_email_key: a coordinator-local lookup from the Stripe customer",
  outreach_pkey: "outreach gets user_id at sharding; the key becomes (user_id, id, queued_at)",
  outreach_events_pkey: "outreach_events gets user_id at sharding; the key becomes (user_id, id)",
  live_pages_pkey: "as applications_pkey",
  account_tokens_pkey: "as applications_pkey",
  account_tokens_token_hash_key:
    "a reset or verification link is opened before its user is known: the token " +
    "lookup moves to a coordinator-local table (token_hash primary key, user_id), as for sessions",
  role_candidates_pkey: "as applications_pkey",
  role_candidates_application_id_contact_id_key: "becomes (user_id, application_id, contact_id): an " +
    "application belongs to one user, so the rule it enforces is the same",
  send_charges_pkey: "becomes (user_id, outreach_id, queued_at) once outreach carries user_id",
  session_activity_pkey: "session_activity gets user_id at sharding; the key becomes (user_id, session_id)",
  live_pages_token_key: "a public page is found by its token before its user is known: at sharding the " +
    "token lookup moves to a coordinator-local table (token primary key, user_id), as for sessions",
  live_page_visits_pkey:
    "live_page_visits gets user_id at sharding; the key becomes (user_id, page_id, day, " +
    "visitor, what)",
  outreach_events_provider_event_id_key: "webhook de-duplication happens before the outreach is known: it " +
    "moves to the coordinator-local webhook_tokens check, and the index to (user_id, provider_event_id)",
};

/** Foreign keys between tenant tables without the distribution column on both sides, and the plan for each. */
export const FOREIGN_KEY_EXCEPTIONS: Record<string, string> = {
  role_candidates_application_id_fkey: "becomes (user_id, application_id) -> applications (user_id, id): " +
    "role_candidates already carries user_id",
  session_activity_session_id_fkey: "becomes (user_id, session_id) -> sessions (user_id, id) once " +
    "session_activity carries user_id",
  jobs_owner_user_id_fkey:
    "recruiter-owned jobs: jobs is a reference table, and Citus cannot enforce a key " +
    "from a reference table into a distributed one; at sharding the owner check moves into the recruiter " +
    "API's transaction (the owner's row is on the coordinator's user_emails/lookup path), and the key is dropped",
  live_pages_application_id_fkey:
    "becomes (user_id, application_id) -> applications (user_id, id): live_pages " +
    "already carries user_id",
  live_page_visits_page_id_fkey:
    "becomes (user_id, page_id) -> live_pages (user_id, id) once live_page_visits " +
    "carries user_id",
  fk_outreach_application: "becomes (user_id, application_id) -> applications (user_id, id) once outreach " +
    "carries user_id (filled from applications in the sharding migration)",
};

/** What the checks read from PostgreSQL's catalog (`readCatalog`). */
export interface Catalog {
  tables: { name: string; columns: string[] }[];
  uniques: { table: string; index: string; columns: string[] }[];
  keys: { name: string; from: string; to: string; cols: string[]; refs: string[] }[];
}

/** Tables (with columns), unique indexes and foreign keys of the public schema; partitions left out. */
export async function readCatalog(sql: Sql): Promise<Catalog> {
  const tables = await sql<Catalog["tables"]>`
    select c.relname::text as name,
           array(select a.attname::text from pg_attribute a
                 where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum) as columns
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p', 'm') and not c.relispartition
    order by 1`;
  const uniques = await sql<Catalog["uniques"]>`
    select c.relname::text as table, ic.relname::text as index,
           array(select a.attname::text from unnest(i.indkey) k join pg_attribute a
                 on a.attrelid = i.indrelid and a.attnum = k) as columns
    from pg_index i join pg_class c on c.oid = i.indrelid join pg_class ic on ic.oid = i.indexrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and i.indisunique and not c.relispartition
    order by 1, 2`;
  const keys = await sql<Catalog["keys"]>`
    select con.conname::text as name, src.relname::text as from, dst.relname::text as to,
           array(select a.attname::text from unnest(con.conkey) k join pg_attribute a
                 on a.attrelid = con.conrelid and a.attnum = k) as cols,
           array(select a.attname::text from unnest(con.confkey) k join pg_attribute a
                 on a.attrelid = con.confrelid and a.attnum = k) as refs
    from pg_constraint con join pg_class src on src.oid = con.conrelid join pg_class dst on dst.oid = con.confrelid
    where con.contype = 'f' and con.connamespace = 'public'::regnamespace and con.conparentid = 0
    order by 1`;
  return { tables, uniques, keys };
}

const isTenant = (p: Placement | undefined) => p?.kind === "distributed" || p?.kind === "via";
const distributionColumn = (p: Placement | undefined) => (p?.kind === "distributed" ? p.column : undefined);

/**
 * Everything in `catalog` that breaks the plan, one line each (empty: shard-ready):
 * - a table the plan does not place, or a placed table that does not exist;
 * - a distributed table without its column; a "via" table without its column, or whose parents do not end
 *   at a distributed table;
 * - a unique index of a tenant table without the distribution column and without a reason (and a reason for
 *   an index that no longer needs one);
 * - a foreign key between tenant tables not on the distribution column on both sides and without a reason;
 *   a reference or local table pointing into a tenant table (Citus cannot enforce it) without a reason.
 */
export function shardProblems(
  catalog: Catalog,
  plan: Record<string, Placement> = SHARD_PLAN,
  uniqueReasons: Record<string, string> = UNIQUE_EXCEPTIONS,
  keyReasons: Record<string, string> = FOREIGN_KEY_EXCEPTIONS,
): string[] {
  const problems: string[] = [];
  const columns = new Map(catalog.tables.map((t) => [t.name, t.columns]));
  for (const t of catalog.tables) if (!plan[t.name]) problems.push(`${t.name}: not placed in the shard plan`);
  for (const name of Object.keys(plan)) {
    if (!columns.has(name)) problems.push(`${name}: in the plan, not a table`);
  }

  for (const [table, placement] of Object.entries(plan)) {
    if (!columns.has(table)) continue;
    if (
      (placement.kind === "distributed" || placement.kind === "via") &&
      !columns.get(table)!.includes(placement.column)
    ) {
      problems.push(`${table}: has no column ${placement.column}`);
    }
    if (placement.kind === "via") {
      const path = [table];
      let name = placement.parent;
      let parent = plan[name];
      while (parent?.kind === "via" && !path.includes(name)) {
        path.push(name);
        name = parent.parent;
        parent = plan[name];
      }
      if (parent?.kind !== "distributed") {
        problems.push(
          `${table}: reached through ${[...path, name].join(" -> ")}, which ends at no distributed table`,
        );
      }
    }
  }

  const uncovered = catalog.uniques.filter((u) => {
    const placement = plan[u.table];
    const column = distributionColumn(placement);
    return isTenant(placement) && (!column || !u.columns.includes(column));
  });
  for (const u of uncovered) {
    if (!uniqueReasons[u.index]) {
      problems.push(
        `${u.table}.${u.index} (${u.columns.join(", ")}): unique without the distribution column`,
      );
    }
  }
  for (const index of Object.keys(uniqueReasons)) {
    if (!uncovered.some((u) => u.index === index)) {
      problems.push(`${index}: a reason for an index that needs none`);
    }
  }

  const excused = new Set<string>();
  for (const key of catalog.keys) {
    const from = plan[key.from], to = plan[key.to];
    if (!isTenant(to)) continue; // into a reference or local table: allowed from anywhere
    if (!isTenant(from)) {
      if (keyReasons[key.name]) excused.add(key.name);
      else {problems.push(
          `${key.name}: ${key.from} (${from?.kind ?? "unplaced"}) points into the tenant table ${key.to}`,
        );}
      continue;
    }
    const column = distributionColumn(from);
    if (column && key.cols.includes(column) && key.refs.includes(distributionColumn(to) ?? "")) continue;
    if (keyReasons[key.name]) excused.add(key.name);
    else {problems.push(
        `${key.name}: ${key.from} (${key.cols.join(", ")}) -> ${key.to} (${key.refs.join(", ")})`,
      );}
  }
  for (const name of Object.keys(keyReasons)) {
    if (!excused.has(name)) problems.push(`${name}: a reason for a foreign key that needs none`);
  }
  return problems;
}

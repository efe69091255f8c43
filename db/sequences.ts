/**
 * Sequence templates: the platform's (read-only) and each user's own. Runs as
 * the user, so row-level security shows platform templates plus the caller's
 * and refuses writes to anything else.
 */
import { type Sql, type Tx, withUser } from "./client.ts";
import { builtinVariables } from "@/core/enrollment_render.ts";
import { HttpError } from "@/core/http_error.ts";

export interface StepVariant {
  key: string;
  subject: string;
  body: string;
}

export interface SequenceStep {
  step_no: number;
  delay_hours: number;
  subject: string;
  body: string;
  /** A/B variants (2-4); when present, the step's own subject and body are not sent. */
  variants?: StepVariant[];
}

export interface Sequence {
  id: number;
  user_id: number | null;
  name: string;
  description: string | null;
  is_platform: boolean;
  steps: SequenceStep[];
  auto_promote: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface SequenceInput {
  name: string;
  description?: string | null;
  steps: SequenceStep[];
  auto_promote?: boolean;
}

const COLUMNS =
  "id, user_id, name, description, coalesce(is_platform, false) as is_platform, steps, auto_promote, " +
  "created_at, updated_at";

/** Platform templates first, then the caller's own, oldest first. */
export async function listSequences(sql: Sql, userId: number): Promise<Sequence[]> {
  return await withUser(sql, userId, (tx) =>
    tx.unsafe<Sequence[]>(
      `select ${COLUMNS} from sequence_templates order by is_platform desc nulls last, id`,
    ));
}

/** One visible template (platform or own), or undefined. */
export async function getSequence(sql: Sql, userId: number, id: number): Promise<Sequence | undefined> {
  const rows = await withUser(
    sql,
    userId,
    (tx) => tx.unsafe<Sequence[]>(`select ${COLUMNS} from sequence_templates where id = $1::int`, [id]),
  );
  return rows[0];
}

export async function createSequence(sql: Sql, userId: number, input: SequenceInput): Promise<Sequence> {
  const [row] = await withUser(sql, userId, (tx) =>
    tx.unsafe<Sequence[]>(
      `insert into sequence_templates (user_id, name, description, is_platform, steps, auto_promote)
       values ($1::int, $2::varchar, $3::text, false, $4::text::jsonb, $5::boolean) returning ${COLUMNS}`,
      [
        userId,
        input.name,
        input.description ?? null,
        JSON.stringify(input.steps),
        input.auto_promote ?? false,
      ],
    ));
  return row;
}

/** Throws 404 for a template the caller cannot see, 403 for a platform template. */
async function assertOwn(tx: Tx, id: number): Promise<void> {
  const [row] = await tx<{ is_platform: boolean }[]>`
    select coalesce(is_platform, false) as is_platform from sequence_templates where id = ${id}::int`;
  if (!row) throw new HttpError(404, "sequence not found");
  if (row.is_platform) throw new HttpError(403, "platform templates are read-only; copy it to edit");
}

export async function updateSequence(
  sql: Sql,
  userId: number,
  id: number,
  input: Partial<SequenceInput>,
): Promise<Sequence> {
  return await withUser(sql, userId, async (tx) => {
    await assertOwn(tx, id);
    const [row] = await tx.unsafe<Sequence[]>(
      `update sequence_templates set
         name = coalesce($2::varchar, name),
         description = case when $3::boolean then $4::text else description end,
         steps = coalesce($5::text::jsonb, steps),
         auto_promote = coalesce($6::boolean, auto_promote)
       where id = $1::int returning ${COLUMNS}`,
      [
        id,
        input.name ?? null,
        input.description !== undefined,
        input.description ?? null,
        input.steps ? JSON.stringify(input.steps) : null,
        input.auto_promote ?? null,
      ],
    );
    if (!row) throw new HttpError(404, "sequence not found");
    return row;
  });
}

export async function deleteSequence(sql: Sql, userId: number, id: number): Promise<void> {
  await withUser(sql, userId, async (tx) => {
    await assertOwn(tx, id);
    await tx`delete from sequence_templates where id = ${id}::int`;
  });
}

/** A contact the editor can preview a sequence for, with the variables enrollment would fill. */
export interface PreviewTarget {
  contact_id: number;
  label: string;
  variables: Record<string, string | null>;
}

/**
 * Up to 50 (contact, application) pairs of the user's pipeline, each with
 * the built-in variables as enrollment fills them (core/enrollment_render.ts), so the
 * editor's preview shows what would really go out.
 */
export async function listPreviewTargets(sql: Sql, userId: number): Promise<PreviewTarget[]> {
  const rows = await withUser(sql, userId, (tx) =>
    tx<
      {
        contact_id: number;
        full_name: string;
        first_name: string | null;
        last_name: string | null;
        email: string;
        role: string;
        company: string;
        my_name: string | null;
        metric: string | null;
      }[]
    >`
      select c.id as contact_id, c.full_name, c.first_name, c.last_name, c.email, j.title as role,
             co.name as company, u.full_name as my_name,
             (select r.key_metrics->>0 from resumes r where r.user_id = a.user_id) as metric
      from applications a
      join jobs j on j.id = a.job_id
      join companies co on co.id = j.company_id
      join contacts c on c.company_id = co.id and c.opted_out is not true
      join users u on u.id = a.user_id
      order by a.last_action_at desc, c.id
      limit 50`);
  return rows.map((r) => ({
    contact_id: r.contact_id,
    label: `${r.full_name} <${r.email}> · ${r.role} at ${r.company}`,
    variables: builtinVariables(r),
  }));
}

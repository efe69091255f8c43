/**
 * The application tracker. Every function runs under `withUser`, so row-level security decides what a
 * user can see: another user's application is simply not found (a 404, never a 403).
 */
import { type Sql, type Tx, withUser } from "./client.ts";
import { getMatchProfile, matchJobColumns, type MatchJobRow, toMatchJob } from "./match_scores.ts";
import { computeMatch } from "@/core/match.ts";
import { HttpError } from "@/core/http_error.ts";
import {
  allowedMoves,
  type ApplicationStatus,
  canMove,
  type UpdateApplicationInput,
} from "@/core/application_schemas.ts";

export interface Application {
  id: number;
  job_id: number;
  status: ApplicationStatus;
  match_score: number | null;
  applied_at: Date | null;
  last_action_at: Date | null;
  notes: string | null;
  interview_dates: { at: string; kind?: string; notes?: string }[];
  offer_details: Record<string, unknown>;
  reply_status: string | null;
  job: { title: string; location: string | null; remote: boolean; company: { id: number; name: string } };
}

type Row = Omit<Application, "job"> & {
  job_title: string;
  job_location: string | null;
  job_remote: boolean;
  company_id: number;
  company_name: string;
};

const select = (tx: Tx) =>
  tx`select a.id, a.job_id, a.status, a.match_score, a.applied_at, a.last_action_at, a.notes, a.interview_dates,
            a.offer_details, a.reply_status, j.title as job_title, j.location as job_location,
            j.remote as job_remote, c.id as company_id, c.name as company_name
     from applications a join jobs j on j.id = a.job_id join companies c on c.id = j.company_id`;

function shape(r: Row): Application {
  const { job_title, job_location, job_remote, company_id, company_name, ...rest } = r;
  return {
    ...rest,
    job: {
      title: job_title,
      location: job_location,
      remote: job_remote ?? false,
      company: { id: company_id, name: company_name },
    },
  };
}

async function findApplication(tx: Tx, id: number): Promise<Application | undefined> {
  const [row] = await tx<Row[]>`${select(tx)} where a.id = ${id}::int`;
  return row ? shape(row) : undefined;
}

/**
 * Tracks a job for the user, storing its match score as of now. 422 (naming `job_id`) for an unknown job,
 * 409 when the user already tracks it.
 */
export function createApplication(
  sql: Sql,
  userId: number,
  input: { job_id: number; status?: ApplicationStatus },
): Promise<Application> {
  return withUser(sql, userId, async (tx) => {
    const [job] = await tx<MatchJobRow[]>`
      select ${matchJobColumns(tx)} from jobs j join companies c on c.id = j.company_id
      where j.id = ${input.job_id}::int and (j.owner_user_id is null or j.owner_user_id = ${userId}::int)`;
    if (!job) throw new HttpError(422, "invalid values", { fields: { job_id: "no such job" } });
    const score = computeMatch(toMatchJob(job), await getMatchProfile(tx, userId)).score;
    const [created] = await tx<{ id: number }[]>`
      insert into applications (user_id, job_id, status, match_score)
      values (${userId}::int, ${input.job_id}::int, ${input.status ?? "applied"}::varchar, ${score}::int)
      on conflict (user_id, job_id) do nothing
      returning id`;
    if (!created) {
      throw new HttpError(409, "you already track this job", {
        code: "duplicate",
        fields: { job_id: "already tracked" },
      });
    }
    return (await findApplication(tx, created.id))!;
  });
}

/** The user's applications, most recently active first; optionally one status only. */
export function listApplications(
  sql: Sql,
  userId: number,
  status?: ApplicationStatus,
): Promise<Application[]> {
  return withUser(sql, userId, async (tx) => {
    const rows = await tx<Row[]>`
      ${select(tx)} ${status ? tx`where a.status = ${status}::varchar` : tx``}
      order by a.last_action_at desc nulls last, a.id desc
      limit 1000`;
    return rows.map(shape);
  });
}

/** One of the user's applications, or undefined (also for another user's id). */
export function getApplication(sql: Sql, userId: number, id: number): Promise<Application | undefined> {
  return withUser(sql, userId, (tx) => findApplication(tx, id));
}

/**
 * Changes status, notes, interview dates or offer details. A status change must be a move the pipeline
 * allows (409 otherwise, naming the allowed ones); moving to `applied` stamps `applied_at`.
 */
export function updateApplication(
  sql: Sql,
  userId: number,
  id: number,
  input: UpdateApplicationInput,
): Promise<Application | undefined> {
  return withUser(sql, userId, async (tx) => {
    const [current] = await tx<{ status: ApplicationStatus }[]>`
      select status from applications where id = ${id}::int for update`;
    if (!current) return undefined;
    const to = input.status;
    if (to && !canMove(current.status, to)) {
      throw new HttpError(409, `cannot move from ${current.status} to ${to}`, {
        code: "invalid_transition",
        fields: {
          status: `from ${current.status} you can move to ${allowedMoves(current.status).join(", ")}`,
        },
      });
    }
    await tx`
      update applications set
        status = coalesce(${to ?? null}::varchar, status),
        applied_at = case when ${
      to ?? null
    }::varchar = 'applied' and status <> 'applied' then now() else applied_at end,
        notes = ${input.notes === undefined ? tx`notes` : tx`${input.notes}::text`},
        interview_dates = ${
      input.interview_dates === undefined ? tx`interview_dates` : tx`${tx.json(input.interview_dates)}::jsonb`
    },
        offer_details = ${
      input.offer_details === undefined ? tx`offer_details` : tx`${tx.json(input.offer_details)}::jsonb`
    },
        last_action_at = now()
      where id = ${id}::int`;
    return await findApplication(tx, id);
  });
}

/** Stops tracking; its outreach goes with it (the seed's ON DELETE CASCADE). False when not found. */
export function deleteApplication(sql: Sql, userId: number, id: number): Promise<boolean> {
  return withUser(sql, userId, async (tx) => {
    const rows = await tx`delete from applications where id = ${id}::int returning id`;
    return rows.length > 0;
  });
}

import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { requireUser } from "@/web/auth.ts";
import type { AppState } from "@/web/state.ts";
import { listApplications } from "@/db/applications.ts";
import PipelineBoard, { type BoardCard } from "@/islands/PipelineBoard.tsx";
import { type Application } from "@/db/applications.ts";
import { type BoardFacts, listBoardFacts } from "@/db/board_facts.ts";
import { formatPayRange } from "@/core/match.ts";
import { localDateTime } from "@/core/local_time.ts";

/** The next thing that happens for an application: an interview to come or the next queued email. */
function nextStep(a: Application, facts: BoardFacts | undefined, tz?: string | null): BoardCard["next"] {
  const now = Date.now();
  const interview = a.interview_dates
    .map((d) => ({ at: new Date(d.at), kind: d.kind }))
    .filter((d) => d.at.getTime() > now)
    .sort((x, y) => x.at.getTime() - y.at.getTime())[0];
  const email = facts?.next_email_at ? new Date(facts.next_email_at) : null;
  if (interview && (!email || interview.at <= email)) {
    return {
      label: interview.kind ? `interview (${interview.kind})` : "interview",
      when: localDateTime(interview.at, tz),
    };
  }
  if (email) {
    return {
      label: `email ${facts!.next_email_step} to ${facts!.next_email_contact}`,
      when: localDateTime(email, tz),
    };
  }
  return null;
}

/** The offer's salary once there is one, else the job's advertised range. */
function salary(a: Application, facts: BoardFacts | undefined): string | null {
  const offered = (a.offer_details as { salary?: unknown; currency?: unknown }).salary;
  if (typeof offered === "number") {
    const currency = typeof (a.offer_details as { currency?: unknown }).currency === "string"
      ? ` ${(a.offer_details as { currency: string }).currency}`
      : "";
    return `offer ${offered.toLocaleString("en-US")}${currency}`;
  }
  if (!facts || (facts.comp_min === null && facts.comp_max === null)) return null;
  return formatPayRange(facts.comp_min, facts.comp_max);
}

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const [applications, facts] = await Promise.all([
      listApplications(ctx.state.app.sql, user.id),
      listBoardFacts(ctx.state.app.sql, user.id),
    ]);
    const cards: BoardCard[] = applications.map((a) => ({
      id: a.id,
      title: a.job.title,
      company: a.job.company.name,
      status: a.status,
      match_score: a.match_score,
      salary: salary(a, facts.get(a.id)),
      next: nextStep(a, facts.get(a.id), user.timezone),
    }));
    return ctx.render(cards);
  },
};

export default function ApplicationsPage({ data, state }: PageProps<BoardCard[], AppState>) {
  return (
    <>
      <h1>Applications</h1>
      <p class="muted">
        Move a card with its "Move" button, or drag it to another column. {data.length === 0 && (
          <>
            Nothing here yet: <a href="/jobs">find jobs</a> and save them.
          </>
        )}
      </p>
      <PipelineBoard cards={data} csrfToken={state.csrfToken ?? ""} />
    </>
  );
}

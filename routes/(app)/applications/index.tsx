import type { FreshContext, PageProps } from "../../../fresh/types.ts";
import { requireUser } from "../../../lib/auth.ts";
import type { AppState } from "../../../lib/state.ts";
import { listApplications } from "../../../db/applications.ts";
import PipelineBoard, { type BoardCard } from "../../../islands/PipelineBoard.tsx";

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const cards: BoardCard[] = (await listApplications(user.id)).map((a) => ({
      id: a.id,
      title: a.job.title,
      company: a.job.company.name,
      status: a.status,
      match_score: a.match_score,
    }));
    return ctx.render(cards);
  },
};

export default function ApplicationsPage({ data, state }: PageProps<BoardCard[], AppState>) {
  return (
    <>
      <h1>Applications</h1>
      <p class="muted">
        Move a card with its "Move" button (or drag it to a column). {data.length === 0 && (
          <>
            Nothing here yet: <a href="/jobs">find jobs</a> and save them.
          </>
        )}
      </p>
      <PipelineBoard cards={data} csrfToken={state.csrfToken ?? ""} />
    </>
  );
}

/** `/sequences/:id`: the editor (island) with a live preview for the user's own contacts. */
import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { requireUser } from "@/web/auth.ts";
import { HttpError } from "@/core/http_error.ts";
import { parseId } from "@/core/validate.ts";
import type { AppState } from "@/web/state.ts";
import { getSequence, listPreviewTargets, type PreviewTarget, type Sequence } from "@/db/sequences.ts";
import SequenceEditor from "@/islands/SequenceEditor.tsx";

interface Data {
  sequence: Sequence;
  targets: PreviewTarget[];
}

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const { sql } = ctx.state.app;
    const sequence = await getSequence(sql, user.id, parseId(ctx.params.id, "sequence"));
    if (!sequence) throw new HttpError(404, "sequence not found");
    return ctx.render({ sequence, targets: await listPreviewTargets(sql, user.id) } satisfies Data);
  },
};

export default function SequencePage({ data, state }: PageProps<Data, AppState>) {
  const s = data.sequence;
  return (
    <>
      <p>
        <a href="/sequences">← Sequences</a>
      </p>
      <h1>{s.name}</h1>
      <p>
        <a href={`/sequences/${s.id}/funnel`}>Results: the funnel and the A/B test</a>
      </p>
      {s.is_platform && <p class="muted">A RoleFerry template: read-only. Copy it to make it yours.</p>}
      <SequenceEditor
        id={s.id}
        name={s.name}
        description={s.description}
        steps={s.steps}
        readOnly={s.is_platform}
        autoPromote={s.auto_promote}
        targets={data.targets}
        csrfToken={state.csrfToken ?? ""}
      />
    </>
  );
}

/**
 * `/sequences`: the platform's templates and the user's own, and a form to
 * start a new one (it opens in the editor). Works without JavaScript.
 */
import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { requireUser } from "@/web/auth.ts";
import { CreateSequence } from "@/core/outreach_schemas.ts";
import { field, type FieldErrors, readForm, seeOther } from "@/core/page_forms.ts";
import { issuesToFields } from "@/core/validate.ts";
import type { AppState } from "@/web/state.ts";
import { createSequence, listSequences, type Sequence } from "@/db/sequences.ts";
import CsrfField from "@/components/CsrfField.tsx";
import FieldError from "@/components/FieldError.tsx";

interface Data {
  sequences: Sequence[];
  name?: string;
  errors?: FieldErrors;
}

/** A new sequence starts from one step the user then edits. */
const FIRST_STEP = {
  step_no: 1,
  delay_hours: 0,
  subject: "Quick question about {{role}} at {{company}}",
  body: "Hi {{first_name}},\n\n…\n\nThanks,\n{{my_name}}",
};

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    return ctx.render({ sequences: await listSequences(ctx.state.app.sql, user.id) } satisfies Data);
  },
  async POST(ctx: FreshContext<AppState>) {
    const user = await requireUser(ctx);
    const { sql } = ctx.state.app;
    const form = await readForm(ctx.req);
    const name = field(form, "name");
    const parsed = CreateSequence.safeParse({ name, steps: [FIRST_STEP] });
    if (!parsed.success) {
      const data: Data = {
        sequences: await listSequences(sql, user.id),
        name,
        errors: issuesToFields(parsed.error.issues),
      };
      return ctx.render(data, { status: 422 });
    }
    const created = await createSequence(sql, user.id, parsed.data);
    return seeOther(`/sequences/${created.id}`);
  },
};

export default function SequencesPage({ data, state }: PageProps<Data, AppState>) {
  const platform = data.sequences.filter((s) => s.is_platform);
  const own = data.sequences.filter((s) => !s.is_platform);
  const row = (s: Sequence) => (
    <li key={s.id}>
      <a href={`/sequences/${s.id}`}>{s.name}</a>{" "}
      <span class="muted">
        {s.steps.length} steps{s.description ? ` · ${s.description}` : ""}
      </span>
    </li>
  );
  return (
    <>
      <h1>Sequences</h1>
      <div class="grid">
        <section class="panel" aria-labelledby="own-heading">
          <h2 id="own-heading">Yours</h2>
          {own.length ? <ul>{own.map(row)}</ul> : <p class="muted">None yet.</p>}
          <form method="post" action="/sequences" class="stack">
            <CsrfField token={state.csrfToken} />
            <label for="name">New sequence</label>
            <input id="name" name="name" required maxLength={255} value={data.name ?? ""} />
            <FieldError errors={data.errors} name="name" />
            <button type="submit">Create</button>
          </form>
        </section>
        <section class="panel" aria-labelledby="platform-heading">
          <h2 id="platform-heading">RoleFerry templates</h2>
          <ul>{platform.map(row)}</ul>
          <p class="muted">Templates are read-only; the editor can copy one into a sequence of your own.</p>
        </section>
      </div>
    </>
  );
}

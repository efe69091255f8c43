/**
 * `/applications/:id/live-page`: the application's live page: create it, edit it, turn it off (at once: its
 * URL answers 410) or on again, and see its views and link clicks. `{{live_page}}` in a sequence step puts its
 * URL in the email.
 */
import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { requireUser } from "@/web/auth.ts";
import { HttpError } from "@/core/http_error.ts";
import { field, type FieldErrors, seeOther } from "@/core/page_forms.ts";
import { parseId } from "@/core/validate.ts";
import type { AppState } from "@/web/state.ts";
import { type FormAction, formActions } from "@/web/form_actions.ts";
import type { AppContext } from "@/services/app_context.ts";
import { type LivePageFormValues, livePageFormValues, parseLivePageForm } from "@/web/live_page_forms.ts";
import { livePageUrl } from "@/services/live_pages/live_page_view.ts";
import { type Application, getApplication } from "@/db/applications.ts";
import { createLivePage, listLivePages, type LivePage, updateLivePage } from "@/db/live_pages.ts";
import CsrfField from "@/components/CsrfField.tsx";
import ErrorSummary from "@/components/ErrorSummary.tsx";
import TextField from "@/components/TextField.tsx";

interface Data {
  application: Application;
  page?: LivePage;
  /** The page's public address, when there is a page. */
  url?: string;
  form?: { values: LivePageFormValues; errors: FieldErrors };
}

async function load(app: AppContext, userId: number, id: number): Promise<Data> {
  const application = await getApplication(app.sql, userId, id);
  if (!application) throw new HttpError(404, "application not found");
  const page = (await listLivePages(app.sql, userId, id)).at(-1);
  return { application, page, url: page && livePageUrl(app, page.token) };
}

/** What the forms act on: the signed-in user and the page's state (404 when the application is not theirs). */
interface Target {
  userId: number;
  data: Data;
}

async function loadTarget(ctx: FreshContext<AppState>): Promise<Target> {
  const user = await requireUser(ctx);
  return { userId: user.id, data: await load(ctx.state.app, user.id, parseId(ctx.params.id, "application")) };
}

/** The form's fields: create the page, or save its changes. */
const save: FormAction<Target> = async (ctx, { form, guarded: { userId, data } }) => {
  const { application, page } = data;
  const values = livePageFormValues(form);
  const parsed = parseLivePageForm(application.id, values);
  if (!parsed.ok) {
    return ctx.render({ ...data, form: { values, errors: parsed.errors } } satisfies Data, { status: 422 });
  }
  const sql = ctx.state.app.sql;
  if (page) {
    const { application_id: _, ...changes } = parsed.value;
    await updateLivePage(sql, userId, page.id, changes);
  } else {
    await createLivePage(sql, userId, parsed.value);
  }
  return seeOther(`/applications/${application.id}/live-page?saved=1`);
};

/** `disable` (its URL answers 410 at once) or `enable`; without a page yet, the post is the save form's. */
const toggle: FormAction<Target> = async (ctx, input) => {
  const { userId, data: { application, page } } = input.guarded;
  if (!page) return await save(ctx, input);
  const action = field(input.form, "action");
  await updateLivePage(ctx.state.app.sql, userId, page.id, { enabled: action === "enable" });
  return seeOther(`/applications/${application.id}/live-page?${action}d=1`);
};

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    return ctx.render((await loadTarget(ctx)).data);
  },
  POST: formActions({
    field: "action",
    guard: loadTarget,
    actions: { save, disable: toggle, enable: toggle },
    fallback: "save",
  }),
};

export default function LivePageSettings({ data, state, url }: PageProps<Data, AppState>) {
  const { application: a, page } = data;
  const values: LivePageFormValues = data.form?.values ?? {
    headline: page?.headline ?? `What I'd bring to ${a.job.company.name}`,
    pitch: page?.pitch ?? "",
    links: page?.links.map((l) => `${l.label} | ${l.url}`).join("\n") ?? "",
    show_match: page?.show_match ?? false,
  };
  const errors = data.form?.errors;
  const notice = url.searchParams.has("saved")
    ? "Saved."
    : url.searchParams.has("disabled")
    ? "Turned off: the link now says the page is gone."
    : url.searchParams.has("enabled")
    ? "Turned on again."
    : undefined;
  return (
    <>
      <p>
        <a href={`/applications/${a.id}`}>← {a.job.title} at {a.job.company.name}</a>
      </p>
      <h1>Live page</h1>
      <p class="muted">
        A short page of your own for the people you email about this job: your pitch, your resume's highlights
        and your links. Put <code>{"{{live_page}}"}</code>{" "}
        in a sequence step to send its link. It counts views and link clicks (once per visitor a day, never
        bots), and nothing else.
      </p>
      {notice && !errors && <p class="notice notice-ok" role="status">{notice}</p>}
      {page && (
        <section class="panel" aria-labelledby="live-state-heading">
          <h2 id="live-state-heading">{page.enabled ? "On" : "Off"}</h2>
          <p>
            <a href={data.url}>{data.url}</a>
          </p>
          <p>
            {page.views} {page.views === 1 ? "view" : "views"}, {page.link_clicks}{" "}
            {page.link_clicks === 1 ? "link click" : "link clicks"}
          </p>
          <form method="post">
            <CsrfField token={state.csrfToken} />
            <input type="hidden" name="action" value={page.enabled ? "disable" : "enable"} />
            <button type="submit" class={page.enabled ? "button-danger" : undefined}>
              {page.enabled ? "Turn the page off now" : "Turn the page on again"}
            </button>
          </form>
        </section>
      )}
      <section class="panel" aria-labelledby="live-form-heading">
        <h2 id="live-form-heading">{page ? "Edit the page" : "Create the page"}</h2>
        <ErrorSummary
          errors={errors}
          fieldIds={{ headline: "lp-headline", pitch: "lp-pitch", links: "lp-links" }}
        />
        <form method="post">
          <CsrfField token={state.csrfToken} />
          <input type="hidden" name="action" value="save" />
          <TextField
            id="lp-headline"
            name="headline"
            label="Headline"
            value={values.headline}
            errors={errors}
          />
          <TextField
            id="lp-pitch"
            name="pitch"
            label="Your pitch"
            value={values.pitch}
            errors={errors}
            multiline
            hint="a few short paragraphs"
          />
          <TextField
            id="lp-links"
            name="links"
            label="Links"
            value={values.links}
            errors={errors}
            multiline
            hint="one per line: Label | https://…"
          />
          <div class="field">
            <label>
              <input type="checkbox" name="show_match" checked={values.show_match} /> Show why the job fits me
            </label>
          </div>
          <button type="submit">{page ? "Save" : "Create the page"}</button>
        </form>
      </section>
    </>
  );
}

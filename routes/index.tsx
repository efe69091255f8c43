import type { FreshContext, PageProps } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";
import { type Application, listApplications } from "@/db/applications.ts";
import { STATUS_LABELS, STATUSES } from "@/core/pipeline.ts";
import { seeOther } from "@/core/page_forms.ts";
import { listQueuedEmails } from "@/db/outreach_waiting.ts";
import WaitingEmails, { type WaitingEmail } from "@/components/WaitingEmails.tsx";

interface Data {
  applications?: Application[];
  waiting?: WaitingEmail[];
}

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    const user = ctx.state.user;
    if (user?.mode === "recruiter") return seeOther("/roles"); // a recruiter's dashboard is the roles
    if (!user) return ctx.render({} satisfies Data);
    const [applications, waiting] = await Promise.all([
      listApplications(ctx.state.app.sql, user.id),
      listQueuedEmails(ctx.state.app.sql, user.id),
    ]);
    return ctx.render({ applications, waiting } satisfies Data);
  },
};

export default function Home({ data, state }: PageProps<Data, AppState>) {
  return data.applications
    ? (
      <>
        <Dashboard name={state.user?.full_name} applications={data.applications} />
        <WaitingEmails items={data.waiting ?? []} timezone={state.user?.timezone} />
      </>
    )
    : <Landing />;
}

function Landing() {
  return (
    <>
      <section class="hero">
        <h1>Land the job by reaching the people behind it.</h1>
        <p>
          RoleFerry finds jobs that fit your skills and explains every match, helps you write to the hiring
          manager with a short, polite sequence of emails, and keeps every application on one board.
        </p>
        <p class="actions">
          <a href="/signup" class="button">Create a free account</a>
          <a href="/login" class="button button-secondary">Log in</a>
        </p>
      </section>
      <section class="grid">
        <div class="panel">
          <h2>Matches you can check</h2>
          <p>
            Each job gets a score from 0 to 100 with its reasons: the skills you have and miss, pay, place,
            level.
          </p>
        </div>
        <div class="panel">
          <h2>Outreach that stops itself</h2>
          <p>
            Short follow-ups go out from healthy mailboxes and stop the moment someone replies or opts out.
          </p>
        </div>
        <div class="panel">
          <h2>One pipeline</h2>
          <p>
            Saved, applied, interviewing, offer: move applications along, keep notes, interviews and offers.
          </p>
        </div>
      </section>
    </>
  );
}

function Dashboard({ name, applications }: { name?: string | null; applications: Application[] }) {
  const counts = Object.fromEntries(
    STATUSES.map((s) => [s, applications.filter((a) => a.status === s).length]),
  );
  return (
    <>
      <h1>Welcome back{name ? `, ${name}` : ""}</h1>
      <section class="grid" aria-label="Your pipeline">
        {STATUSES.map((s) => (
          <a
            key={s}
            href={`/applications#column-${s}`}
            class="panel"
            style="text-decoration:none;color:inherit"
          >
            <div class="muted">{STATUS_LABELS[s]}</div>
            <div class="stat">{counts[s]}</div>
          </a>
        ))}
      </section>
      <section class="panel">
        <h2>Recently active</h2>
        {applications.length === 0
          ? (
            <p>
              Nothing tracked yet. <a href="/jobs">Search for jobs</a>{" "}
              and save the ones you like; first, add your skills in <a href="/settings">Settings</a>{" "}
              so the match scores mean something.
            </p>
          )
          : (
            <div class="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Job</th>
                    <th scope="col">Company</th>
                    <th scope="col">Status</th>
                    <th scope="col">Match</th>
                  </tr>
                </thead>
                <tbody>
                  {applications.slice(0, 8).map((a) => (
                    <tr key={a.id}>
                      <td>
                        <a href={`/applications/${a.id}`}>{a.job.title}</a>
                      </td>
                      <td>{a.job.company.name}</td>
                      <td class="status">{a.status}</td>
                      <td>{a.match_score ?? "–"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        <p class="actions">
          <a href="/jobs" class="button">Find jobs</a>
          <a href="/applications" class="button button-secondary">Open the board</a>
        </p>
      </section>
    </>
  );
}

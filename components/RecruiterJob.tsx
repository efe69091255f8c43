import { formatPayRange } from "@/core/match.ts";
import type { JobDetail } from "@/db/jobs.ts";
import CsrfField from "./CsrfField.tsx";

/**
 * A job as a recruiter sees it (recruiter mode, docs/accounts.md): no match score, no resume, one action —
 * fill it as a role.
 */
export default function RecruiterJob({ job, csrfToken }: { job: JobDetail; csrfToken?: string }) {
  return (
    <>
      <p>
        <a href="/jobs">← Jobs</a>
      </p>
      <div class="job-item panel">
        <h1 style="margin-top:0">{job.title}</h1>
        <div class="meta">
          <span>{job.company.name}</span>
          <span>{job.remote ? "Remote" : job.location ?? "Location not given"}</span>
          <span>{formatPayRange(job.comp_min, job.comp_max)}</span>
        </div>
      </div>
      <form method="post" action="/roles" class="panel actions">
        <CsrfField token={csrfToken} />
        <input type="hidden" name="job_id" value={job.id} />
        <button type="submit">Fill this role</button>
        <span class="muted">It joins your roles, with its own candidate pipeline.</span>
      </form>
      {job.description && (
        <section class="panel">
          <h2>The job</h2>
          <p class="description">{job.description}</p>
        </section>
      )}
    </>
  );
}

/**
 * The public live page: the sender's pitch, resume highlights, links and (when
 * the owner chose) why the job fits. A whole HTML document with no script, so it
 * is fast and safe to open from any mail client; links go through the page's
 * own counter.
 */
import type { LivePageContent } from "@/services/live_pages/live_page_public.ts";

export default function LivePageView({ page }: { page: LivePageContent }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${page.name}: ${page.headline}`}</title>
        <link rel="stylesheet" href="/styles.css" />
      </head>
      <body>
        <main class="live-page">
          <h1>{page.headline}</h1>
          <p class="muted">{page.name}</p>
          {page.pitch.split(/\n{2,}/).map((paragraph, i) => <p key={i}>{paragraph}</p>)}
          {page.job && (
            <section>
              <h2>Why {page.job.title} at {page.job.company}</h2>
              <ul>{page.job.reasons.map((r) => <li key={r}>{r}</li>)}</ul>
            </section>
          )}
          {page.metrics.length > 0 && (
            <section>
              <h2>Results</h2>
              <ul>{page.metrics.map((m) => <li key={m}>{m}</li>)}</ul>
            </section>
          )}
          {page.accomplishments.length > 0 && (
            <section>
              <h2>Highlights</h2>
              <ul>{page.accomplishments.map((a) => <li key={a}>{a}</li>)}</ul>
            </section>
          )}
          {page.roles.length > 0 && (
            <section>
              <h2>Roles</h2>
              <ul>{page.roles.map((r) => <li key={r}>{r}</li>)}</ul>
            </section>
          )}
          {page.links.length > 0 && (
            <section>
              <h2>Links</h2>
              <ul>
                {page.links.map((link, i) => (
                  <li key={i}>
                    <a href={`/p/${page.token}/l/${i}`} rel="nofollow noopener">{link.label}</a>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </main>
      </body>
    </html>
  );
}

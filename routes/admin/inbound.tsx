/**
 * `/admin/inbound`: inbound mail as classified (issue 11), newest first, to review what the rules decided and
 * what matched nothing. `?kind=human|auto_reply|bounce|other` and `?matched=false` filter. Admin only (the
 * bearer token or the admin cookie from `/admin/mailboxes`).
 */
import type { FreshContext, PageProps } from "@/fresh/types.ts";
import { isAdminRequest } from "@/services/accounts/admin_session.ts";
import type { AppState } from "@/web/state.ts";
import { parseQuery } from "@/core/validate.ts";
import { listInbound } from "@/db/inbound_messages.ts";
import { InboundQuery } from "@/core/outreach_schemas.ts";

type Item = Awaited<ReturnType<typeof listInbound>>[number];
type Data = { signedIn: false } | { signedIn: true; items: Item[]; kind?: string; matched?: boolean };

export const handler = {
  async GET(ctx: FreshContext<AppState>) {
    if (!(await isAdminRequest(ctx.state.app, ctx.req))) {
      return ctx.render({ signedIn: false } satisfies Data, { status: 401 });
    }
    const query = parseQuery(new URL(ctx.req.url), InboundQuery);
    const items = await listInbound(ctx.state.app.sql, query);
    return ctx.render({ signedIn: true, items, kind: query.kind, matched: query.matched } satisfies Data, {
      headers: { "cache-control": "no-store" },
    });
  },
};

const KINDS = ["human", "auto_reply", "bounce", "other"] as const;

function when(value: Date | null): string {
  return value ? value.toISOString().slice(0, 16).replace("T", " ") : "—";
}

export default function InboundPage({ data }: PageProps<Data, AppState>) {
  if (!data.signedIn) {
    return (
      <section class="narrow panel">
        <h1>Inbound mail</h1>
        <p>
          Admin only: sign in on <a href="/admin/mailboxes">the mailboxes page</a> first.
        </p>
      </section>
    );
  }
  return (
    <>
      <h1>Inbound mail</h1>
      <nav aria-label="Filter" class="meta">
        <a href="/admin/inbound">all</a>
        {KINDS.map((k) => <a key={k} href={`/admin/inbound?kind=${k}`}>{k}</a>)}
        <a href="/admin/inbound?matched=false">unmatched (review)</a>
      </nav>
      <section class="panel">
        <table id="inbound">
          <thead>
            <tr>
              <th scope="col">Received (UTC)</th>
              <th scope="col">Kind</th>
              <th scope="col">From</th>
              <th scope="col">Subject</th>
              <th scope="col">Matched</th>
              <th scope="col">Action</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((m) => (
              <tr key={m.id} data-kind={m.kind}>
                <td>{when(m.received_at)}</td>
                <td>{m.kind}</td>
                <td>{m.from_header ?? m.sender ?? ""}</td>
                <td>{m.subject ?? ""}</td>
                <td>{m.outreach_id ? `outreach ${m.outreach_id} (${m.matched_by})` : "no"}</td>
                <td>{m.action}</td>
                <td>
                  {m.return_date && <span>back {m.return_date}</span>}
                  {m.bounce_status && <span>{m.bounce_status} {m.bounce_recipient}</span>}
                  <details>
                    <summary>{m.reasons.join(", ")}</summary>
                    <pre>{JSON.stringify(m.raw_headers ?? [], null, 1)}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!data.items.length && <p class="muted">Nothing here.</p>}
      </section>
    </>
  );
}

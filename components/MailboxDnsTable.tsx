/** A mailbox domain's SPF, DKIM, DMARC and MX: pass, warn or fail, with the record found and the one expected. */
import type { DomainChecks } from "@/core/deliverability/mailbox_dns.ts";

const NAMES = { spf: "SPF", dkim: "DKIM", dmarc: "DMARC", mx: "MX" } as const;

export default function MailboxDnsTable(props: { checks: DomainChecks }) {
  return (
    <table id="mailbox-dns">
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">State</th>
          <th scope="col">Found</th>
          <th scope="col">Expected</th>
        </tr>
      </thead>
      <tbody>
        {(Object.keys(NAMES) as (keyof typeof NAMES)[]).map((k) => (
          <tr key={k} data-check={k} data-status={props.checks[k].status}>
            <th scope="row">{NAMES[k]}</th>
            <td>
              <span class={`tag tag-${props.checks[k].status}`}>{props.checks[k].status}</span>
            </td>
            <td>
              <code>{props.checks[k].found ?? "nothing found"}</code>
            </td>
            <td>
              <code>{props.checks[k].expected ?? "—"}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

import type { CompanyContact } from "@/db/companies.ts";
import CsrfField from "./CsrfField.tsx";

/**
 * The "start outreach" form of an application: a contact of the company and a
 * sequence. It asks for the review first (`action=review`): nothing is queued
 * until the user has seen every email.
 */
export default function StartOutreach(
  { company, contacts, sequences, csrfToken, selected }: {
    company: string;
    contacts: CompanyContact[];
    sequences: { id: number; name: string; steps: number }[];
    csrfToken?: string;
    selected?: { contact_id?: number; sequence_id?: number };
  },
) {
  const reachable = contacts.filter((c) => !c.opted_out);
  return (
    <>
      <h3>Start outreach</h3>
      {reachable.length === 0
        ? <p class="muted">No one at {company} can be contacted yet: add a contact first.</p>
        : (
          <form method="post" class="actions" action="#review">
            <CsrfField token={csrfToken} />
            <input type="hidden" name="action" value="review" />
            <label class="sr-only" for="contact_id">Contact</label>
            <select id="contact_id" name="contact_id">
              {reachable.map((c) => (
                <option key={c.id} value={String(c.id)} selected={selected?.contact_id === c.id}>
                  {c.full_name}
                  {c.title ? `, ${c.title}` : ""}
                </option>
              ))}
            </select>
            <label class="sr-only" for="sequence_id">Sequence</label>
            <select id="sequence_id" name="sequence_id">
              {sequences.map((q) => (
                <option key={q.id} value={String(q.id)} selected={selected?.sequence_id === q.id}>
                  {q.name} ({q.steps} steps)
                </option>
              ))}
            </select>
            <button type="submit">Review the emails</button>
            <a href="/sequences">Edit sequences</a>
          </form>
        )}
    </>
  );
}

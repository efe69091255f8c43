/**
 * Adding a contact by name at a company: proposes addresses from the
 * company's naming pattern (`GET /api/contacts/suggest`, ranked by evidence,
 * each with its verification), and adds the one picked through
 * `POST /api/contacts`, marked as guessed (never silently: the list says how
 * each address was found). "Add without an address" keeps the person with no
 * email. Self-contained: the job page mounts it beside its contact list.
 */
import { useState } from "preact/hooks";

export interface ContactFinderProps {
  companyId: number;
  domain: string | null;
  csrfToken: string;
}

interface Suggestion {
  email: string;
  pattern: string;
  evidence: number;
  verification: { result: "valid" | "risky" | "invalid"; reason: string };
}

const REASONS: Record<string, string> = {
  ok: "the domain accepts mail",
  role: "a shared inbox, not a person",
  catch_all: "the server accepts any address",
  dns_timeout: "DNS did not answer",
  no_mx: "the domain takes no mail",
  no_domain: "the domain does not exist",
  disposable: "a throw-away domain",
  syntax: "not an address",
  smtp_rejected: "the mail server refused it",
};

export default function ContactFinder(props: ContactFinderProps) {
  const [fullName, setFullName] = useState("");
  const [title, setTitle] = useState("");
  const [items, setItems] = useState<Suggestion[] | null>(null);
  const [picked, setPicked] = useState<string>("");
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function call(url: string, init?: RequestInit) {
    setBusy(true);
    setError("");
    try {
      const res = await fetch(url, {
        ...init,
        headers: { "content-type": "application/json", "x-csrf-token": props.csrfToken },
      });
      const json = await res.json().catch(() => null);
      if (!res.ok) {
        const fields = json?.error?.fields ? Object.values(json.error.fields).join("; ") : "";
        setError(`${json?.error?.message ?? res.statusText}${fields ? `: ${fields}` : ""}`);
        return null;
      }
      return json;
    } catch {
      setError("The network failed. Try again.");
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function find(e: Event) {
    e.preventDefault();
    if (!props.domain) return;
    const q = new URLSearchParams({ full_name: fullName, domain: props.domain });
    const json = await call(`/api/contacts/suggest?${q}`);
    if (!json) return;
    const list = json.items as Suggestion[];
    setItems(list);
    setPicked(list.find((s) => s.verification.result !== "invalid")?.email ?? "");
  }

  async function add(email: string | null) {
    const created = await call("/api/contacts", {
      method: "POST",
      body: JSON.stringify({
        company_id: props.companyId,
        full_name: fullName,
        ...(title.trim() ? { title } : {}),
        ...(email ? { email, email_guessed: true } : {}),
        source: email ? "suggested" : "manual",
      }),
    });
    if (!created) return;
    setMessage(
      email
        ? `Added ${created.full_name} <${created.email}>, marked as guessed until it is confirmed.`
        : `Added ${created.full_name} without an address.`,
    );
    setItems(null);
    setFullName("");
    setTitle("");
  }

  return (
    <form class="contact-finder stack" onSubmit={find} aria-label="Add a contact by name">
      <h3>Add a contact by name</h3>
      {message && <p role="status" class="notice notice-ok">{message}</p>}
      {error && <p role="alert" class="notice notice-error">{error}</p>}
      <label for="finder-name">Full name</label>
      <input
        id="finder-name"
        value={fullName}
        required
        maxLength={255}
        onInput={(e) => setFullName((e.target as HTMLInputElement).value)}
      />
      <label for="finder-title">Title (optional)</label>
      <input
        id="finder-title"
        value={title}
        maxLength={255}
        onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
      />
      {props.domain
        ? (
          <button type="submit" id="finder-find" disabled={busy || !fullName.trim()}>
            Propose addresses
          </button>
        )
        : <p class="muted">The company has no domain, so no address can be proposed.</p>}
      {items && (
        <fieldset class="stack">
          <legend>Proposed addresses at {props.domain}</legend>
          {items.map((s) => (
            <label key={s.email} class="suggestion" data-email={s.email} data-result={s.verification.result}>
              <input
                type="radio"
                name="finder-pick"
                value={s.email}
                checked={picked === s.email}
                disabled={s.verification.result === "invalid"}
                onChange={() =>
                  setPicked(s.email)}
              />{" "}
              <code>{s.email}</code>{" "}
              <span class="muted">
                {s.pattern}, {s.evidence
                  ? `${s.evidence} known contact${s.evidence > 1 ? "s" : ""} here use it`
                  : "a common pattern (no evidence here)"}
              </span>{" "}
              <span class={`tag tag-${s.verification.result}`}>
                {s.verification.result}: {REASONS[s.verification.reason] ?? s.verification.reason}
              </span>
            </label>
          ))}
          <p class="actions">
            <button type="button" id="finder-add" disabled={busy || !picked} onClick={() => add(picked)}>
              Add with this address
            </button>
            <button type="button" class="button-secondary" disabled={busy} onClick={() => add(null)}>
              Add without an address
            </button>
          </p>
        </fieldset>
      )}
    </form>
  );
}

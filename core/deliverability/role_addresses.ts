/**
 * Role addresses: local parts that reach a function, not a person (info@,
 * jobs@, careers@ …). They are allowed as contacts but flagged `risky` with
 * reason `role`, and they are no evidence for a company's naming pattern.
 *
 * Source: the role-account lists of RFC 2142 ("Mailbox names for common
 * services, roles and functions") plus the hiring and sales inboxes that job
 * seekers meet most (careers, jobs, recruiting, talent, hr, hello …).
 */
export const ROLE_LOCAL_PARTS: ReadonlySet<string> = new Set([
  // RFC 2142
  "info",
  "marketing",
  "sales",
  "support",
  "abuse",
  "noc",
  "security",
  "postmaster",
  "hostmaster",
  "usenet",
  "news",
  "webmaster",
  "www",
  "uucp",
  "ftp",
  // hiring and common shared inboxes
  "admin",
  "administrator",
  "billing",
  "careers",
  "career",
  "contact",
  "enquiries",
  "hello",
  "help",
  "hiring",
  "hr",
  "jobs",
  "job",
  "mail",
  "media",
  "no-reply",
  "noreply",
  "office",
  "press",
  "recruiting",
  "recruitment",
  "recruiter",
  "talent",
  "team",
]);

/** Whether the address's local part (before any `+tag`, any case) is a role account. */
export function isRoleAddress(email: string): boolean {
  const at = email.lastIndexOf("@");
  const local = (at < 0 ? email : email.slice(0, at)).toLowerCase().split("+")[0];
  return ROLE_LOCAL_PARTS.has(local);
}

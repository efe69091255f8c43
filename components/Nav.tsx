import type { SessionUser } from "@/web/state.ts";
import CsrfField from "./CsrfField.tsx";

const LINKS = [
  { href: "/jobs", label: "Jobs" },
  { href: "/applications", label: "Applications" },
  { href: "/sequences", label: "Sequences" },
  { href: "/settings", label: "Settings" },
  { href: "/account", label: "Account" },
];

/** Recruiters fill roles: no resume settings, no application board (docs/accounts.md, recruiter mode). */
const RECRUITER_LINKS = [
  { href: "/roles", label: "Roles" },
  { href: "/jobs", label: "Jobs" },
  { href: "/account", label: "Account" },
];

/** The top bar: the way in when signed out, the product's sections and log out when signed in. */
export default function Nav(
  { user, csrfToken, path }: { user?: SessionUser; csrfToken?: string; path: string },
) {
  return (
    <header class="topbar">
      <nav class="container nav" aria-label="Main">
        <a href="/" class="brand">RoleFerry</a>
        {user
          ? (
            <>
              <ul class="nav-links">
                {(user.mode === "recruiter" ? RECRUITER_LINKS : LINKS).map((l) => (
                  <li key={l.href}>
                    <a href={l.href} aria-current={path.startsWith(l.href) ? "page" : undefined}>{l.label}</a>
                  </li>
                ))}
              </ul>
              <form method="post" action="/logout" class="nav-logout">
                <CsrfField token={csrfToken} />
                <span class="muted">{user.full_name ?? user.email}</span>
                <button type="submit" class="link-button">Log out</button>
              </form>
            </>
          )
          : (
            <ul class="nav-links nav-right">
              <li>
                <a href="/login">Log in</a>
              </li>
              <li>
                <a href="/signup" class="button button-small">Sign up</a>
              </li>
            </ul>
          )}
      </nav>
    </header>
  );
}

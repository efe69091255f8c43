import type { LayoutProps } from "@/fresh/types.ts";
import type { AppState } from "@/web/state.ts";
import Nav from "@/components/Nav.tsx";

/** Every page: the top bar, the page, a short footer. */
export default function Layout({ Component, state, url }: LayoutProps<unknown, AppState>) {
  return (
    <>
      <a href="#main" class="skip-link">Skip to content</a>
      <Nav user={state.user} csrfToken={state.csrfToken} path={url.pathname} />
      <main id="main" class="container">
        <Component />
      </main>
      <footer class="footer container">
        <p class="muted">RoleFerry: find the job, reach the people, track every step.</p>
      </footer>
    </>
  );
}

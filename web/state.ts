import type { AppContext } from "@/services/app_context.ts";
import type { PoolInputs } from "@/core/match_pools.ts";

/** What middlewares put on `ctx.state` for every request. */
export interface SessionUser {
  id: number;
  email: string;
  full_name: string | null;
  mode: string;
  /** `users.timezone`: every date a page shows is in it (core/local_time.ts). */
  timezone?: string | null;
}

export interface AppState {
  /** The app context (services/app_context.ts): pool, configuration, transport, clock, logger. */
  app: AppContext;
  /** Echoed in the `x-request-id` header, every log line and every error answer. */
  requestId: string;
  /** The signed-in user, from a bearer token or the session cookie. */
  user?: SessionUser;
  sessionId?: string;
  /** How the user authenticated: cookie-authenticated form posts need a CSRF check. */
  authVia?: "bearer" | "cookie";
  /** For cookie sessions: the CSRF token pages put in their forms (`_csrf`). See web/csrf.ts. */
  csrfToken?: string;
  /** The best-match pools' inputs the session lookup read (web/auth.ts `Authentication.matchPool`). */
  matchPool?: PoolInputs | null;
}

/**
 * The admin token's guess limit for bearer requests (issue 9, item 13). Called by the `_middleware.ts` of
 * `routes/admin/` and `routes/api/admin/` and by `/metrics`, before the route: a request presenting a bearer token is refused
 * with 429 once its address has used up its wrong guesses, and a wrong token counts one. The routes' own
 * `requireAdmin` (synchronous, services/accounts/admin.ts) then answers 401 for the wrong token as before. The admin
 * pages' sign-in form counts through `checkAdminToken` (services/accounts/admin_session.ts) against the same limit.
 */
import type { FreshContext } from "@/fresh/types.ts";
import type { AppState } from "./state.ts";
import { clientAddress } from "./auth.ts";
import { timingSafeEqual } from "@/core/crypto.ts";
import { assertAdminGuessesLeft, countAdminGuess } from "@/services/accounts/rate_limit.ts";

/** 429 when the caller's address is out of admin guesses; counts a wrong bearer token. */
export async function guardAdminToken(
  ctx: Pick<FreshContext<AppState>, "req" | "info" | "state">,
): Promise<void> {
  const { config, sql } = ctx.state.app;
  const token = config.adminToken;
  if (!token) return; // admin is off: the routes answer 404
  const bearer = /^Bearer\s+(.+)$/i.exec(ctx.req.headers.get("authorization") ?? "")?.[1]?.trim();
  if (!bearer) return;
  const address = clientAddress(ctx);
  await assertAdminGuessesLeft(sql, address);
  if (!timingSafeEqual(bearer, token)) await countAdminGuess(sql, address);
}

/** The middleware form, for the `_middleware.ts` of the admin folders. */
export async function adminGuardMiddleware(ctx: FreshContext<AppState>): Promise<Response> {
  await guardAdminToken(ctx);
  return await ctx.next();
}

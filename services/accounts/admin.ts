/**
 * Admin access: `Authorization: Bearer <ROLEFERRY_ADMIN_TOKEN>`. When the token
 * is not configured, admin routes are off and answer 404, as if absent.
 */
import { HttpError } from "@/core/http_error.ts";
import { timingSafeEqual } from "@/core/crypto.ts";
import type { AppContext } from "@/services/app_context.ts";

/** Throws unless the request carries the admin token. */
export function requireAdmin(app: AppContext, req: Request): void {
  const token = app.config.adminToken;
  if (!token) throw new HttpError(404, "not found");
  const header = req.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match || !timingSafeEqual(match[1].trim(), token)) {
    throw new HttpError(401, "admin token required", { headers: { "www-authenticate": "Bearer" } });
  }
}

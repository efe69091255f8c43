/** The admin token's guess limit (web/admin_guard.ts) before every admin route in this folder. */
import { adminGuardMiddleware } from "@/web/admin_guard.ts";

export const handler = adminGuardMiddleware;

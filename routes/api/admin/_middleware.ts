/** The admin token's guess limit (lib/admin_guard.ts) before every admin route in this folder. */
import { adminGuardMiddleware } from "../../../lib/admin_guard.ts";

export const handler = adminGuardMiddleware;

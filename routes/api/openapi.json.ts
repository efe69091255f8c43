import { fileURLToPath } from "node:url";
import { buildOpenApi } from "@/web/openapi.ts";
import { defineApi } from "@/web/api.ts";

export const api = defineApi({ GET: { summary: "This OpenAPI document", auth: "none" } });

const ROUTES_DIR = fileURLToPath(new URL("../", import.meta.url));
let document: Promise<Record<string, unknown>> | undefined;

export const handler = {
  async GET() {
    document ??= buildOpenApi(ROUTES_DIR, { title: "RoleFerry API", version: "1.0.0" });
    return Response.json(await document);
  },
};

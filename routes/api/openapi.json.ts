import { fileURLToPath } from "node:url";
import { openApiDocument } from "@/web/openapi.ts";
import { defineRoute, op } from "@/web/define_route.ts";

const ROUTES_DIR = fileURLToPath(new URL("../", import.meta.url));

export const { handler, api } = defineRoute({
  GET: op({
    summary: "This OpenAPI document",
    auth: "none",
    handler: () => openApiDocument(ROUTES_DIR),
  }),
});

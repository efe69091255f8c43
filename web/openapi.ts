/**
 * Builds `GET /api/openapi.json` from the `api` exports of the route files
 * (see web/api.ts): the same zod schemas that validate the requests describe
 * them, so the document cannot drift from the behaviour.
 */
import { z } from "zod";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { isModuleFile, walkFiles } from "@/fresh/crawl.ts";
import { patternOf, routeSegments } from "@/fresh/route_path.ts";
import type { ApiSpec, Operation } from "./api.ts";

type Json = Record<string, unknown>;

const ERROR_SCHEMA: Json = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        fields: { type: "object", additionalProperties: { type: "string" } },
      },
    },
  },
};

// memo: pure function of its key (the routes folder, whose modules a process imports once).
const DOCUMENTS = new Map<string, Promise<Json>>();

/** {@link buildOpenApi} for RoleFerry's API, built on the first request and kept for the process. */
export function openApiDocument(routesDir: string): Promise<Json> {
  let document = DOCUMENTS.get(routesDir);
  if (!document) {
    DOCUMENTS.set(
      routesDir,
      document = buildOpenApi(routesDir, { title: "RoleFerry API", version: "1.0.0" }),
    );
  }
  return document;
}

/** Crawls `routesDir` for `api` exports and returns the OpenAPI 3.1 document. */
export async function buildOpenApi(
  routesDir: string,
  info: { title: string; version: string },
): Promise<Json> {
  const paths: Record<string, Json> = {};
  for (const rel of (await walkFiles(routesDir)).filter(isModuleFile)) {
    const mod = await import(pathToFileURL(join(routesDir, rel)).href);
    const api = mod.api as ApiSpec | undefined;
    if (!api) continue;
    const path = patternOf(routeSegments(rel)).replace(/:(\w+)/g, "{$1}").replace(/\*(\w+)/g, "{$1}");
    const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const item: Json = {};
    for (const [method, op] of Object.entries(api) as [string, Operation][]) {
      item[method.toLowerCase()] = operation(op, params);
    }
    paths[path] = { ...(paths[path] ?? {}), ...item };
  }
  return {
    openapi: "3.1.0",
    info,
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "session token from /api/auth/login" },
        cookie: { type: "apiKey", in: "cookie", name: "rf_session" },
        admin: { type: "http", scheme: "bearer", description: "ROLEFERRY_ADMIN_TOKEN" },
      },
    },
  };
}

function operation(op: Operation, pathParams: Json[]): Json {
  const out: Json = { summary: op.summary };
  if (op.auth === "user") out.security = [{ bearer: [] }, { cookie: [] }];
  else if (op.auth === "admin") out.security = [{ admin: [] }];
  else out.security = [];
  const parameters = [...pathParams, ...queryParameters(op.query)];
  if (parameters.length) out.parameters = parameters;
  if (op.body) {
    out.requestBody = {
      required: true,
      content: { [op.bodyType ?? "application/json"]: { schema: toSchema(op.body, "input") } },
    };
  }
  const ok = String(op.status ?? 200);
  out.responses = {
    [ok]: op.status === 204 ? { description: "no content" } : {
      description: "success",
      ...(op.response
        ? { content: { "application/json": { schema: toSchema(op.response, "output") } } }
        : {}),
    },
    default: {
      description: "error",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    },
  };
  return out;
}

function queryParameters(schema: z.ZodType | undefined): Json[] {
  if (!schema) return [];
  const json = toSchema(schema, "input");
  const properties = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: "query",
    required: required.has(name),
    schema,
  }));
}

function toSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Json;
  delete json.$schema;
  return json;
}

/**
 * Route metadata for the OpenAPI document. An API route file exports
 * `api = defineApi({...})` beside its `handler`; the handler validates with the
 * same schemas (`parseJson(ctx.req, api.POST.body)`), so the document and the
 * validation cannot drift apart. `routes/api/openapi.json.ts` collects them.
 *
 * @example
 * export const api = defineApi({
 *   POST: { summary: "Create an application", auth: "user", body: CreateApplication, status: 201 },
 * });
 */
import type { z } from "zod";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface Operation {
  summary: string;
  /** Who may call it: a signed-in user, the admin token, a signed webhook, or anyone. */
  auth: "user" | "admin" | "webhook" | "none";
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  /** Success status; 200 unless said. */
  status?: number;
  /** Content type of the body when it is not JSON (webhook forms). */
  bodyType?: string;
}

export type ApiSpec = Partial<Record<Method, Operation>>;

/** Identity function that keeps the literal types of a route's operations. */
export function defineApi<T extends ApiSpec>(spec: T): T {
  return spec;
}

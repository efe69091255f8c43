/**
 * One byte limit for every request body, enforced while the body is read, with or without a
 * Content-Length (issue 9: a 200 MB chunked form was read whole before the CSRF check refused it).
 *
 * `limitRequestBody` hands the app a request whose body stream errors with a 413 `HttpError` as soon as
 * more than the path's limit has arrived, so whatever reads it (`readBody`, `formData()`, the CSRF check)
 * stops there and the client gets the JSON or HTML error answer. A declared Content-Length over the limit
 * errors on the first read, before any byte is taken. Nothing is read ahead: a route that refuses a
 * request for another reason (no session, wrong signature) never reads the body at all. Hono's
 * `hono/body-limit` middleware was not used: it buffers the whole body up front, before authentication.
 */
import { HttpError } from "@/core/http_error.ts";
import { MAX_BODY_BYTES } from "@/core/validate.ts";

const MiB = 1024 * 1024;

/** Paths allowed a larger body than the default 1 MiB (docs/operations.md, "Limits"). */
export const LARGER_BODIES: { path: RegExp; bytes: number }[] = [
  { path: /^\/webhooks\/mailgun\/inbound\/?$/, bytes: 25 * MiB }, // Mailgun's own message size limit
  { path: /^\/api\/companies\/[^/]+\/contacts\/import\/?$/, bytes: 5 * MiB }, // services/imports/contact_import.ts
];

/** The body limit of a request path, in bytes. */
export function bodyLimitFor(pathname: string): number {
  return LARGER_BODIES.find((entry) => entry.path.test(pathname))?.bytes ?? MAX_BODY_BYTES;
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `request body is larger than ${limit} bytes`);
}

/** `req` with its body limited to `limit` bytes as it streams (the request itself when it has no body). */
export function limitRequestBody(req: Request, limit = bodyLimitFor(new URL(req.url).pathname)): Request {
  if (!req.body) return req;
  const declared = Number(req.headers.get("content-length") ?? "0");
  let seen = 0;
  const limited = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start(controller) {
        if (declared > limit) controller.error(tooLarge(limit));
      },
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(tooLarge(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
  // `duplex` is required by fetch for a streamed body; this lib's RequestInit type does not list it yet.
  const init: RequestInit & { duplex: "half" } = {
    method: req.method,
    headers: req.headers,
    body: limited,
    signal: req.signal,
    redirect: req.redirect,
    duplex: "half",
  };
  return new Request(req.url, init);
}

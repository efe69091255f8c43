/**
 * The one error type of RoleFerry. Throw it anywhere below a route; the error
 * mapper in `fresh/` turns it into `{"error": {code, message, fields?}}` under
 * `/api` and `/webhooks`, and into the `_500`/`_404` page elsewhere.
 *
 * @example
 * throw new HttpError(404, "application not found");
 * throw new HttpError(422, "invalid values", { fields: { "steps.0.subject": "too long" } });
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields?: Record<string, string>;
  readonly headers?: Record<string, string>;

  constructor(
    status: number,
    message: string,
    options: {
      cause?: unknown;
      code?: string;
      fields?: Record<string, string>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "HttpError";
    this.status = status;
    this.code = options.code ?? defaultCode(status);
    this.fields = options.fields;
    this.headers = options.headers;
  }

  /** The JSON body the contract fixes for every error answer. */
  toJSON(): { error: { code: string; message: string; fields?: Record<string, string> } } {
    return {
      error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) },
    };
  }
}

const CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  406: "not_acceptable",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "invalid",
  429: "rate_limited",
  500: "internal",
  503: "unavailable",
};

function defaultCode(status: number): string {
  return CODES[status] ?? (status >= 500 ? "internal" : "error");
}

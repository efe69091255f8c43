/**
 * The security headers every answer carries (the root middleware applies them).
 *
 * The Content-Security-Policy allows scripts only from our own origin: the island
 * boot script and bundles are `<script type="module" src="/_frsh/...">`, and island
 * props travel in `<script type="application/json">`, which browsers never execute,
 * so no inline script needs allowing. Inline `style` attributes are allowed (the
 * components use a few; they cannot run code).
 */

/** Content-Security-Policy directives, one per entry. */
export const CSP_DIRECTIVES: Record<string, string> = {
  "default-src": "'self'",
  "script-src": "'self'",
  "style-src": "'self' 'unsafe-inline'",
  "img-src": "'self' data:",
  "font-src": "'self'",
  "connect-src": "'self'",
  "object-src": "'none'",
  "base-uri": "'self'",
  "form-action": "'self'",
  "frame-ancestors": "'none'",
};

/**
 * The headers to set on every response. HSTS is included only for production,
 * where the app sits behind HTTPS; in development it would pin localhost to HTTPS.
 *
 * @example
 * for (const [name, value] of Object.entries(securityHeaders())) res.headers.set(name, value);
 */
export function securityHeaders(options: { production?: boolean } = {}): Record<string, string> {
  const headers: Record<string, string> = {
    "content-security-policy": Object.entries(CSP_DIRECTIVES).map(([k, v]) => `${k} ${v}`).join("; "),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
  };
  if (options.production) headers["strict-transport-security"] = "max-age=31536000; includeSubDomains";
  return headers;
}

// memo: pure function of its key (the production flag); the root middleware applies these on every answer.
const ENTRIES = new Map<boolean, readonly (readonly [string, string])[]>();

/** {@link securityHeaders} as `[name, value]` pairs, built once per flag. */
export function securityHeaderEntries(production: boolean): readonly (readonly [string, string])[] {
  let entries = ENTRIES.get(production);
  if (!entries) ENTRIES.set(production, entries = Object.entries(securityHeaders({ production })));
  return entries;
}

/** Reading the Cookie header: the session cookie (web/auth.ts) and the admin pages' cookie share it. */

/** One cookie's value from the Cookie header, or undefined when the request does not carry it. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

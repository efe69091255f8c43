import type { PageProps } from "../../../types.ts";

export default function NotFound({ error, url }: PageProps) {
  return <h1 id="not-found">Page not found: {url.pathname} ({error?.message})</h1>;
}

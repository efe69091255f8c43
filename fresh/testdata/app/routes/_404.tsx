import type { PageProps } from "@/fresh/types.ts";

export default function NotFound({ error, url }: PageProps) {
  return <h1 id="not-found">Page not found: {url.pathname} ({error?.message})</h1>;
}

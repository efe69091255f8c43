import type { PageProps } from "@/fresh/types.ts";

export default function ServerError({ error }: PageProps) {
  return <h1 id="error">Error {error?.status}: {error?.message}</h1>;
}

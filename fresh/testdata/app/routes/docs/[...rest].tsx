import type { PageProps } from "@/fresh/types.ts";

export default function DocRest({ params }: PageProps) {
  return <p id="doc">doc rest {params.rest}</p>;
}

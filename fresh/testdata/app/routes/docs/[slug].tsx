import type { PageProps } from "@/fresh/types.ts";

export default function Doc({ params }: PageProps) {
  return <p id="doc">doc slug {params.slug}</p>;
}

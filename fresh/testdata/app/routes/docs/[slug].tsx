import type { PageProps } from "../../../../types.ts";

export default function Doc({ params }: PageProps) {
  return <p id="doc">doc slug {params.slug}</p>;
}

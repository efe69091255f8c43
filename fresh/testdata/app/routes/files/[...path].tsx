import type { PageProps } from "@/fresh/types.ts";

export default function File({ params }: PageProps) {
  return <p id="file">file [{params.path}]</p>;
}

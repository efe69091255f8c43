import type { LayoutProps } from "@/fresh/types.ts";

export default function MarketingLayout({ Component }: LayoutProps) {
  return (
    <div class="marketing">
      <Component />
    </div>
  );
}

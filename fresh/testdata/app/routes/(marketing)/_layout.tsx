import type { LayoutProps } from "../../../../types.ts";

export default function MarketingLayout({ Component }: LayoutProps) {
  return (
    <div class="marketing">
      <Component />
    </div>
  );
}

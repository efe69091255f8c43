import type { LayoutProps } from "@/fresh/types.ts";

export default function RootLayout({ Component }: LayoutProps) {
  return (
    <div class="root-layout">
      <Component />
    </div>
  );
}

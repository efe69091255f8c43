import type { LayoutProps } from "../../../types.ts";

export default function RootLayout({ Component }: LayoutProps) {
  return (
    <div class="root-layout">
      <Component />
    </div>
  );
}

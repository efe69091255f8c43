import type { LayoutProps } from "@/fresh/types.ts";

export default function UsersLayout({ Component }: LayoutProps) {
  return (
    <section class="users-layout">
      <Component />
    </section>
  );
}

import type { LayoutProps } from "@/fresh/types.ts";

export default function App({ Component }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Fixture</title>
      </head>
      <body>
        <Component />
      </body>
    </html>
  );
}

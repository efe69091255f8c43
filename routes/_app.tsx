import type { LayoutProps } from "@/fresh/types.ts";

/** The HTML document around every page, error pages included. */
export default function App({ Component }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>RoleFerry</title>
        <link rel="stylesheet" href="/styles.css" />
        <script src="/page.js" defer></script>
      </head>
      <body>
        <Component />
      </body>
    </html>
  );
}

import type { PageProps } from "@/fresh/types.ts";

/** Not found (unknown paths, and ids that are not the visitor's). */
export default function NotFound({ error }: PageProps) {
  return (
    <main id="main" class="container narrow error-page">
      <p class="brand">
        <a href="/">RoleFerry</a>
      </p>
      <h1>Page not found</h1>
      <p>
        {error?.message && error.message !== "not found"
          ? `${error.message}.`
          : "There is nothing at this address."}
      </p>
      <p>
        <a href="/" class="button">Back to the start</a>
      </p>
    </main>
  );
}

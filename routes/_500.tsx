import type { PageProps } from "@/fresh/types.ts";

/** Any other error: a short, honest page. Only messages of deliberate errors (HttpError) are shown. */
export default function ServerError({ error }: PageProps) {
  const status = error?.status ?? 500;
  return (
    <main id="main" class="container narrow error-page">
      <p class="brand">
        <a href="/">RoleFerry</a>
      </p>
      <h1>{status >= 500 ? "Something went wrong" : `Request refused (${status})`}</h1>
      <p>
        {status >= 500 ? "The problem is on our side and has been logged. Please try again." : error?.message}
      </p>
      <p>
        <a href="/" class="button">Back to the start</a>
      </p>
    </main>
  );
}

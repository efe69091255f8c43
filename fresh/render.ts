/**
 * Page rendering: a page component inside its layouts and `_app`, rendered with preact-render-to-string
 * into a full HTML document. When the render used islands, the document gets the boot script, the map of
 * island modules it should load, and `modulepreload` links; pages without islands ship no JavaScript.
 */
import { type ComponentType, h } from "preact";
import { BUILD_PREFIX, type ClientBuild } from "./assets.ts";
import { type IslandUse, renderWithIslands } from "./islands.ts";
import { escapeForScript } from "./props_codec.ts";
import type { LayoutComponent, PageComponent } from "./route_table.ts";
import type { LayoutProps, PageProps } from "./types.ts";

// deno-lint-ignore no-explicit-any
type AnyPageProps = PageProps<any, any>;

/** Renders pages and error pages of one app. */
export interface Renderer {
  /** Renders `page` inside `layouts` (outer first) and `_app`. */
  page(page: PageComponent, layouts: LayoutComponent[], props: AnyPageProps, init?: ResponseInit): Response;
  /** Renders `_404` (status 404) or `_500` (any other status) inside `_app`. */
  errorPage(
    props: AnyPageProps & { error: { status: number; message: string } },
    headers?: HeadersInit,
  ): Response;
}

/** Creates the renderer of an app from its special pages and client build. */
export function createRenderer(opts: {
  app?: LayoutComponent;
  notFound?: PageComponent;
  error?: PageComponent;
  build: ClientBuild | null;
}): Renderer {
  const app = opts.app ?? DefaultApp;
  const document = (page: PageComponent, layouts: LayoutComponent[], props: AnyPageProps): string => {
    let inner: ComponentType = () => h(page, props);
    for (let i = layouts.length - 1; i >= 0; i--) {
      const layout: LayoutComponent = layouts[i];
      const child: ComponentType = inner;
      inner = () => h(layout, { ...props, Component: child });
    }
    const { html, use } = renderWithIslands(h(app, { ...props, Component: inner }));
    return "<!DOCTYPE html>" + withIslandScripts(html, use, opts.build);
  };
  return {
    page(page, layouts, props, init) {
      return htmlResponse(document(page, layouts, props), init);
    },
    errorPage(props, headers) {
      const { status } = props.error;
      const page = status === 404 ? opts.notFound ?? DefaultError : opts.error ?? DefaultError;
      try {
        return htmlResponse(document(page, [], props), { status, headers });
      } catch (err) {
        console.error(`the ${status === 404 ? "_404" : "_500"} page failed to render`, err);
        const html =
          `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Error ${status}</title></head>` +
          `<body><h1>Error ${status}</h1></body></html>`;
        return htmlResponse(html, { status, headers });
      }
    },
  };
}

function htmlResponse(html: string, init?: ResponseInit): Response {
  const headers = new Headers(init?.headers);
  if (!headers.has("content-type")) headers.set("content-type", "text/html; charset=utf-8");
  return new Response(html, { status: init?.status ?? 200, statusText: init?.statusText, headers });
}

/** Adds the island loader to a rendered document: preloads in `<head>`, scripts at the end of `<body>`. */
function withIslandScripts(html: string, use: IslandUse, build: ClientBuild | null): string {
  if (use.names.length === 0) return html;
  if (!build) {
    console.warn(
      `islands ${use.names.join(", ")} were rendered but there is no client build to hydrate them`,
    );
    return html;
  }
  const { manifest } = build;
  const urls: Record<string, string> = {};
  const preload = new Set<string>(manifest.imports[manifest.boot] ?? []);
  for (const name of use.names) {
    const file = manifest.islands[name];
    if (!file) continue;
    urls[name] = BUILD_PREFIX + file;
    preload.add(file);
    for (const dep of manifest.imports[file] ?? []) preload.add(dep);
  }
  const links = [...preload].map((f) => `<link rel="modulepreload" href="${BUILD_PREFIX}${f}">`).join("");
  const scripts =
    `<script type="application/json" id="__frsh_islands">${escapeForScript(JSON.stringify(urls))}` +
    `</script><script type="module" src="${BUILD_PREFIX}${manifest.boot}"></script>`;
  const withLinks = insertAt(html, html.indexOf("</head>"), links);
  return insertAt(withLinks, withLinks.lastIndexOf("</body>"), scripts);
}

/** Inserts `text` at index `at`, or at the end when the tag was not found. */
function insertAt(html: string, at: number, text: string): string {
  return at < 0 ? html + text : html.slice(0, at) + text + html.slice(at);
}

function DefaultApp({ Component }: LayoutProps) {
  return h(
    "html",
    { lang: "en" },
    h(
      "head",
      null,
      h("meta", { charset: "utf-8" }),
      h("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }),
    ),
    h("body", null, h(Component, null)),
  );
}

function DefaultError({ error }: PageProps) {
  return h("main", null, h("h1", null, `Error ${error?.status ?? 500}`), h("p", null, error?.message ?? ""));
}

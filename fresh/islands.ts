/**
 * Islands on the server. Every component default-exported from `islands/` is registered by identity; a
 * preact `options.vnode` hook swaps such a component for a wrapper whenever a page creates it, so a page
 * just imports `../islands/Counter.tsx` and writes `<Counter start={3} />`. During a page render the
 * wrapper renders the island to HTML inside `<roleferry-island data-name data-props-id>` and adds its props
 * as JSON in a `<script type="application/json" data-frsh-props>`; the boot script hydrates from there.
 *
 * Nothing is kept in module variables: an island's wrapper hangs on its component (under a symbol), the
 * hook is installed once on preact's own `options`, and what one page render used is a per-render object
 * handed to the render as its (legacy) context, which every component receives as its second argument
 * (`createContext` would do, but its Provider doubles the render time of preact-render-to-string). Outside
 * `renderWithIslands` (emails, unit renders) and inside an island (its HTML is rendered apart, without that
 * context) islands are plain components.
 */
import { type ComponentType, Fragment, h, options, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { pathToFileURL } from "node:url";
import { findIslandFiles } from "./crawl.ts";
import { encodeProps } from "./props_codec.ts";

/** An island found in `islands/`. */
export interface Island {
  /** PascalCase name from the file name (`Counter.tsx` gives `Counter`). */
  name: string;
  /** Absolute path of the module, the esbuild entry point for it. */
  file: string;
  component: ComponentType<Record<string, unknown>>;
}

/** What one page render used: the names of islands, in first-use order. */
export interface IslandUse {
  names: string[];
}

/** One page render's island bookkeeping. */
interface RenderSlot {
  use: IslandUse;
  nextId: number;
}

type IslandWrapper = ComponentType<Record<string, unknown>>;

/** Where a registered component keeps its wrapper. */
const WRAPPER = Symbol("fresh.islandWrapper");
/** Marks preact's `options` once the hook is installed (preact's options are process-wide by design). */
const HOOKED = Symbol.for("fresh.islandHook");
/** Key of the page render's slot in the render's context (kept below context Providers: they copy it on). */
const SLOT = Symbol("fresh.islandRender");

/**
 * Imports every island module under `islandsDir` once at start and registers it. Throws for a file
 * without a default component or with a name that is not PascalCase, or for two islands of one name.
 */
export async function loadIslands(islandsDir: string): Promise<Island[]> {
  const islands: Island[] = [];
  for (const { name, file } of await findIslandFiles(islandsDir)) {
    const mod = await import(pathToFileURL(file).href);
    if (typeof mod.default !== "function") {
      throw new Error(`island file "${file}" must default-export a component`);
    }
    islands.push({ name, file, component: mod.default });
  }
  registerIslands(islands);
  return islands;
}

/** Registers islands by component identity and installs the vnode hook (once per process). */
export function registerIslands(islands: readonly Island[]): void {
  for (const island of islands) {
    const component = island.component as { [WRAPPER]?: IslandWrapper };
    component[WRAPPER] ??= makeWrapper(island);
  }
  const hooked = options as { [HOOKED]?: boolean };
  if (hooked[HOOKED]) return;
  hooked[HOOKED] = true;
  const previous = options.vnode;
  options.vnode = (vnode: VNode) => {
    const wrapper = typeof vnode.type === "function"
      ? (vnode.type as { [WRAPPER]?: IslandWrapper })[WRAPPER]
      : undefined;
    if (wrapper) (vnode as { type: unknown }).type = wrapper;
    previous?.(vnode);
  };
}

/** Renders `vnode` to HTML as a page and reports which islands the render used. */
// deno-lint-ignore no-explicit-any
export function renderWithIslands(vnode: VNode<any>): { html: string; use: IslandUse } {
  const slot: RenderSlot = { use: { names: [] }, nextId: 0 };
  const html = renderToString(vnode, { [SLOT]: slot });
  return { html, use: slot.use };
}

function makeWrapper(island: Island): IslandWrapper {
  const Wrapper = (props: Record<string, unknown>, context?: { [SLOT]?: RenderSlot }) => {
    const slot = context?.[SLOT];
    if (!slot) return plain(island, props);
    const json = encodeProps(island.name, props);
    const id = String(slot.nextId++);
    if (!slot.use.names.includes(island.name)) slot.use.names.push(island.name);
    const html = renderToString(plain(island, props));
    return h(
      Fragment,
      null,
      h("roleferry-island", {
        "data-name": island.name,
        "data-props-id": id,
        style: "display:contents",
        dangerouslySetInnerHTML: { __html: html },
      }),
      h("script", {
        type: "application/json",
        "data-frsh-props": id,
        dangerouslySetInnerHTML: { __html: json },
      }),
    );
  };
  Object.defineProperty(Wrapper, "name", { value: `Island(${island.name})` });
  return Wrapper as IslandWrapper;
}

/** The island as an ordinary component: the hook swapped the new vnode's type for the wrapper; swap it back. */
function plain(island: Island, props: Record<string, unknown>): VNode {
  const vnode = h(island.component, props);
  (vnode as { type: unknown }).type = island.component;
  return vnode;
}

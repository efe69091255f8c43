/**
 * Islands on the server. Every component default-exported from `islands/` is registered by identity; a
 * preact `options.vnode` hook swaps such a component for a wrapper whenever a page creates it, so a page
 * just imports `../islands/Counter.tsx` and writes `<Counter start={3} />`. During a page render the
 * wrapper renders the island to HTML inside `<roleferry-island data-name data-props-id>` and adds its props
 * as JSON in a `<script type="application/json" data-frsh-props>`; the boot script hydrates from there.
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

const wrappers = new Map<unknown, ComponentType<Record<string, unknown>>>();
/** More than 0 while an island renders: islands inside islands are plain components of their parent. */
let islandDepth = 0;
/** Set only during a page render; outside it (emails, unit renders) islands render as plain components. */
let current: { use: IslandUse; nextId: number } | null = null;
let hookInstalled = false;

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
    if (!wrappers.has(island.component)) wrappers.set(island.component, makeWrapper(island));
  }
  if (hookInstalled) return;
  hookInstalled = true;
  const previous = options.vnode;
  options.vnode = (vnode: VNode) => {
    if (islandDepth === 0 && typeof vnode.type === "function") {
      const wrapper = wrappers.get(vnode.type);
      if (wrapper) (vnode as { type: unknown }).type = wrapper;
    }
    previous?.(vnode);
  };
}

/**
 * Runs a synchronous page render and reports which islands it used. Rendering is synchronous, so one
 * module-level slot is safe even with concurrent requests.
 */
export function collectIslands<T>(render: () => T): { result: T; use: IslandUse } {
  const outer = current;
  const slot = { use: { names: [] as string[] }, nextId: 0 };
  current = slot;
  try {
    return { result: render(), use: slot.use };
  } finally {
    current = outer;
  }
}

function makeWrapper(island: Island): ComponentType<Record<string, unknown>> {
  const Wrapper = (props: Record<string, unknown>) => {
    if (!current) return plain(island, props);
    const json = encodeProps(island.name, props);
    const id = String(current.nextId++);
    if (!current.use.names.includes(island.name)) current.use.names.push(island.name);
    islandDepth++;
    let html: string;
    try {
      html = renderToString(h(island.component, props));
    } finally {
      islandDepth--;
    }
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
  return Wrapper;
}

/** The island as an ordinary component: its vnode is made with the hook off so it is not wrapped again. */
function plain(island: Island, props: Record<string, unknown>): VNode {
  islandDepth++;
  try {
    return h(island.component, props);
  } finally {
    islandDepth--;
  }
}

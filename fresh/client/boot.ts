/**
 * Client boot: the one module a page with islands loads. It reads which island modules the page needs,
 * imports them, and hydrates every `<roleferry-island>` the server rendered with the props serialized
 * beside it. Islands inside islands were rendered as part of their parent, so only outer ones appear here.
 */
import { type ComponentType, h, hydrate } from "preact";
// Relative on purpose: esbuild bundles this file for any app, whose import map need not have `@/`.
import { decodeProps } from "../props_codec.ts";

/** Marks the document once every island is hydrated: `<html data-frsh-hydrated>` (tests wait on it). */
const HYDRATED_ATTR = "data-frsh-hydrated";

async function boot(): Promise<void> {
  const urls: Record<string, string> = JSON.parse(
    document.getElementById("__frsh_islands")?.textContent ?? "{}",
  );
  const components = new Map<string, ComponentType<Record<string, unknown>>>();
  await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      try {
        components.set(name, (await import(url)).default);
      } catch (err) {
        console.error(`island ${name}: could not load ${url}`, err);
      }
    }),
  );
  for (const el of document.querySelectorAll<HTMLElement>("roleferry-island")) {
    const name = el.dataset.name ?? "";
    const component = components.get(name);
    if (!component) continue;
    try {
      const script = document.querySelector(`script[data-frsh-props="${el.dataset.propsId}"]`);
      hydrate(h(component, decodeProps(script?.textContent ?? "{}")), el);
    } catch (err) {
      console.error(`island ${name}: hydration failed`, err);
    }
  }
  document.documentElement.setAttribute(HYDRATED_ATTR, "");
}

boot();

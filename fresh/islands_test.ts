import assert from "node:assert/strict";
import { createContext, h } from "preact";
import { renderToString } from "preact-render-to-string";
import { registerIslands, renderWithIslands } from "./islands.ts";

function Badge(props: { text: string; fn?: () => void }) {
  return h("b", { class: "badge" }, props.text);
}
function Panel(props: { title: string }) {
  return h("section", null, props.title, h(Badge, { text: "inner" }));
}
registerIslands([
  { name: "Badge", file: "/islands/Badge.tsx", component: Badge as never },
  { name: "Panel", file: "/islands/Panel.tsx", component: Panel as never },
]);

Deno.test("islands - a page render wraps an island in markers with its props as JSON", () => {
  const { html: result, use } = renderWithIslands(h("main", null, h(Badge, { text: "</script><!--" })));
  assert.deepEqual(use.names, ["Badge"]);
  assert.equal(
    result,
    '<main><roleferry-island data-name="Badge" data-props-id="0" style="display:contents">' +
      '<b class="badge">&lt;/script>&lt;!--</b></roleferry-island>' +
      '<script type="application/json" data-frsh-props="0">{"text":"\\u003c/script\\u003e\\u003c!--"}</script></main>',
  );
  assert.equal(result.match(/<\/script/g)?.length, 1);
});

Deno.test("islands - an island inside an island renders as part of its parent", () => {
  const { html: result, use } = renderWithIslands(h(Panel, { title: "P" }));
  assert.deepEqual(use.names, ["Panel"]);
  assert.equal(result.match(/<roleferry-island/g)?.length, 1);
  assert.ok(result.includes('<b class="badge">inner</b>'));
});

Deno.test("islands - outside a page render an island is a plain component", () => {
  assert.equal(renderToString(h(Badge, { text: "mail" })), '<b class="badge">mail</b>');
});

Deno.test("islands - an unserializable prop fails the render naming island and prop", () => {
  assert.throws(
    () => renderWithIslands(h(Badge, { text: "x", fn: () => {} })),
    /island "Badge": prop "fn" cannot be serialized \(function\)/,
  );
});

Deno.test("islands - each island on a page gets its own props id", () => {
  const page = h("div", null, h(Badge, { text: "a" }), h(Badge, { text: "b" }));
  const { html: result, use } = renderWithIslands(page);
  assert.deepEqual(use.names, ["Badge"]);
  assert.ok(result.includes('data-props-id="0"') && result.includes('data-props-id="1"'));
  assert.ok(result.includes('data-frsh-props="1">{"text":"b"}'));
});

Deno.test("islands - an island below a context Provider still renders as an island", () => {
  const Theme = createContext("light");
  const { html: result, use } = renderWithIslands(
    h(Theme.Provider, { value: "dark" }, h("div", null, h(Badge, { text: "t" }))),
  );
  assert.deepEqual(use.names, ["Badge"]);
  assert.equal(result.match(/<roleferry-island/g)?.length, 1);
});

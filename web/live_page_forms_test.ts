import assert from "node:assert/strict";
import { parseLinkLines, parseLivePageForm } from "./live_page_forms.ts";

Deno.test("parseLinkLines - 'Label | URL' per line, a bare URL labels itself, blank lines skipped", () => {
  assert.deepEqual(parseLinkLines("GitHub | https://github.example/ada\n\n https://ada.example/cv \n"), [
    { label: "GitHub", url: "https://github.example/ada" },
    { label: "ada.example/cv", url: "https://ada.example/cv" },
  ]);
});

Deno.test("parseLivePageForm - a javascript: link is refused on its line; a good form passes", () => {
  const bad = parseLivePageForm(3, {
    headline: "Hi",
    pitch: "Me",
    links: "x | javascript:alert(1)",
    show_match: false,
  });
  assert.equal(bad.ok, false);
  assert.match((bad as { errors: Record<string, string> }).errors.links, /^line 1: /);
  const good = parseLivePageForm(3, { headline: "Hi", pitch: "Me", links: "", show_match: true });
  assert.deepEqual(good, {
    ok: true,
    value: { application_id: 3, headline: "Hi", pitch: "Me", links: [], show_match: true },
  });
});

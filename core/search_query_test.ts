import assert from "node:assert/strict";
import { parseSearchText, searchWords } from "./search_query.ts";

Deno.test("searchWords - front end, front-end and frontend are one word", () => {
  for (const t of ["front end", "Front-End", "frontend"]) {
    assert.equal(searchWords(t).toLowerCase(), "frontend");
  }
  assert.equal(searchWords("back-end and full stack"), "backend and fullstack");
  assert.equal(searchWords("storefront ending"), "storefront ending");
});

Deno.test("parseSearchText - the last plain word is a prefix; phrases and operators stay websearch", () => {
  assert.deepEqual(parseSearchText("senior engin"), { web: "senior", prefix: "engin" });
  assert.deepEqual(parseSearchText("front end"), { web: "", prefix: "frontend" });
  assert.deepEqual(parseSearchText('"product designer"'), { web: '"product designer"', prefix: null });
  assert.deepEqual(parseSearchText('"product designer" -data'), {
    web: '"product designer" -data',
    prefix: null,
  });
  assert.deepEqual(parseSearchText("python or"), { web: "python or", prefix: null });
  assert.deepEqual(parseSearchText("c++"), { web: "c++", prefix: null });
  assert.deepEqual(parseSearchText('"senior eng'), { web: '"senior eng', prefix: null });
});

import assert from "node:assert/strict";
import { CsvParser, parseCsv } from "./csv.ts";

Deno.test("parseCsv - quotes, escaped quotes, commas and line breaks inside quotes, CRLF, no final newline", () => {
  const text = 'a,b,c\r\n1,"two, 2","say ""hi"""\n"multi\nline",,last';
  assert.deepEqual(parseCsv(text), [
    ["a", "b", "c"],
    ["1", "two, 2", 'say "hi"'],
    ["multi\nline", "", "last"],
  ]);
});

Deno.test("CsvParser - records split across chunks come out whole", () => {
  const parser = new CsvParser();
  const records = [
    ...parser.push('id,"desc'),
    ...parser.push('ription"\r'),
    ...parser.push('\n7,"x""'),
    ...parser.push('y"\n'),
    ...parser.end(),
  ];
  assert.deepEqual(records, [["id", "description"], ["7", 'x"y']]);
});

Deno.test("parseCsv - blank lines are skipped", () => {
  assert.deepEqual(parseCsv("a\n\n\nb\n"), [["a"], ["b"]]);
});

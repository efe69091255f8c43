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

Deno.test("CsvParser - a record past maxRecordChars comes out empty, and the next records whole", () => {
  const parser = new CsvParser(10);
  const records = [...parser.push('a,b\n"0123456789,x",y\nc,"d""e"\n'), ...parser.end()];
  assert.deepEqual(records, [["a", "b"], [], ["c", 'd"e']]);
});

Deno.test("CsvParser - an 8 MB field costs about its size in memory, not 20 times", () => {
  const size = 8 * 1024 * 1024;
  const parser = new CsvParser();
  const piece = "z".repeat(65536);
  const before = Deno.memoryUsage().heapUsed;
  parser.push('a\n"');
  for (let at = 0; at < size; at += piece.length) parser.push(piece);
  const [record] = parser.push('"\n');
  const grown = Deno.memoryUsage().heapUsed - before;
  assert.equal(record[0].length, size);
  assert.ok(grown < 3 * size, `heap grew ${(grown / 1048576).toFixed(0)} MiB for an 8 MiB field`);
});

import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { csvRecordToJob, MAX_LINE_CHARS, readJobRows } from "@/services/imports/job_import_file.ts";

const db = await useAppDatabase("import_jobs");

async function runImport(path: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/import_jobs.ts", path],
    env: { DATABASE_URL: db.url, ROLEFERRY_ENV: "test" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    summary: JSON.parse(new TextDecoder().decode(out.stdout) || "null"),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("csvRecordToJob - company columns nest, numbers and booleans convert, empty cells are left out", () => {
  const header = [
    "external_id",
    "title",
    "company_name",
    "company_domain",
    "company_tech_stack",
    "comp_min",
    "remote",
    "location",
  ];
  assert.deepEqual(
    csvRecordToJob(header, ["x1", "Dev", "Acme", "acme.test", "Go; Rust|k8s", "90000", "yes", ""]),
    {
      external_id: "x1",
      title: "Dev",
      company: { name: "Acme", domain: "acme.test", tech_stack: ["Go", "Rust", "k8s"] },
      comp_min: 90000,
      remote: true,
    },
  );
});

Deno.test("readJobRows - JSON Lines with a bad line keeps counting", async () => {
  const text = '{"a":1}\n\nnot json\n{"b":2}';
  const stream = ReadableStream.from([new TextEncoder().encode(text)]);
  const rows = [];
  for await (const row of readJobRows(stream, "jsonl")) rows.push(row);
  assert.deepEqual(rows, [{ index: 0, raw: { a: 1 } }, { index: 1, error: "not valid JSON" }, {
    index: 2,
    raw: { b: 2 },
  }]);
});

/** `text` as a stream of 64 KiB chunks, as a file is read. */
function chunks(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const parts = [];
  for (let at = 0; at < bytes.byteLength; at += 65536) parts.push(bytes.subarray(at, at + 65536));
  return ReadableStream.from(parts);
}

Deno.test("readJobRows - a line past the stated limit is refused as its own row; the next lines go on", async () => {
  const long = JSON.stringify({ external_id: "big", description: "x".repeat(MAX_LINE_CHARS + 10) });
  for (const format of ["jsonl", "csv"] as const) {
    const text = format === "jsonl"
      ? `{"a":1}\n${long}\n{"b":2}\n`
      : `external_id,description\na,1\nbig,"${"x".repeat(MAX_LINE_CHARS + 10)}"\nb,2\n`;
    const rows = [];
    for await (const row of readJobRows(chunks(text), format)) rows.push(row);
    assert.equal(rows.length, 3, format);
    assert.deepEqual(rows[1], { index: 1, error: `line longer than ${MAX_LINE_CHARS} characters` }, format);
    assert.ok("raw" in rows[2], format);
  }
});

Deno.test("readJobRows - a 40 MB JSON line is refused as it streams, in linear time", async () => {
  // The old reader re-scanned (and flattened) the whole line for each 64 KiB chunk: 80 MB took 40 s.
  const text = `{"a":1}\n{"d":"${"y".repeat(40 * 1024 * 1024)}"}\n{"b":2}`;
  const started = performance.now();
  const rows = [];
  for await (const row of readJobRows(chunks(text), "jsonl")) rows.push(row);
  const ms = performance.now() - started;
  assert.deepEqual(rows.map((r) => "raw" in r ? "row" : r.error), [
    "row",
    `line longer than ${MAX_LINE_CHARS} characters`,
    "row",
  ]);
  assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
});

Deno.test("deno task import-jobs - JSON Lines in batches: good rows in, bad rows listed by index, progress on stderr", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/jobs.jsonl`;
  const lines = Array.from({ length: 1203 }, (_, i) =>
    JSON.stringify({
      external_id: `file-${i}`,
      source: "file",
      title: `Engineer ${i}`,
      company: { name: `Company ${i % 7}`, domain: `company${i % 7}.test` },
      comp_min: i === 700 ? -5 : 1000,
    }));
  lines.splice(10, 0, "{ broken");
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  const first = await runImport(path);
  assert.equal(first.code, 2, first.stderr);
  assert.equal(first.summary.inserted, 1202);
  assert.equal(first.summary.updated, 0);
  assert.equal(first.summary.companies_created, 7);
  assert.deepEqual(first.summary.rejected, [
    { index: 10, error: "not valid JSON" },
    { index: 701, error: "comp_min: must be 0 or more" },
  ]);
  assert.match(first.stderr, /\[#+\] 100%/);
  assert.match(
    first.stderr,
    /1204 rows in [\d.]+ s: 1202 inserted, 0 updated, 7 companies created, 2 rejected/,
  );
  const [{ count }] = await db.sql`select count(*)::int as count from jobs where source = 'file'`;
  assert.equal(count, 1202);

  const again = await runImport(path);
  assert.equal(again.summary.inserted, 0);
  assert.equal(again.summary.updated, 1202);
});

Deno.test("deno task import-jobs - CSV with quoted fields", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/jobs.csv`;
  await Deno.writeTextFile(
    path,
    "external_id,source,title,company_name,company_domain,description,remote,comp_min,comp_max\n" +
      'csv-1,csv,"Data Engineer, Platform",Initech,initech.test,"Spark and ""Airflow""\nand SQL",true,100000,120000\n' +
      "csv-2,csv,Bad Pay,Initech,initech.test,,maybe,200000,100000\n",
  );
  const result = await runImport(path);
  assert.equal(result.code, 2);
  assert.equal(result.summary.inserted, 1);
  assert.deepEqual(result.summary.rejected.map((r: { index: number }) => r.index), [1]);
  assert.match(result.summary.rejected[0].error, /remote/);
  const [row] = await db.sql`select title, description, remote, skills from jobs where external_id = 'csv-1'`;
  assert.equal(row.title, "Data Engineer, Platform");
  assert.equal(row.description, 'Spark and "Airflow"\nand SQL');
  assert.equal(row.remote, true);
  assert.deepEqual(row.skills, ["Spark", "Airflow", "SQL"]);
});

Deno.test("import_jobs - teardown", async () => {
  await db.drop();
});

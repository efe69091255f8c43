/**
 * Job files for `deno task import-jobs`: JSON Lines (one job object per line, as in the import API) or
 * CSV with a header row whose columns are the API's fields, the company's as `company_name`,
 * `company_domain`, `company_size`, `company_industry` and `company_tech_stack` (separated by `;` or `|`).
 * Rows stream out one at a time with their index, so a big file never sits in memory.
 */
import { CsvParser } from "./csv.ts";

export type FileRow = { index: number; raw: unknown } | { index: number; error: string };

const COMPANY_COLUMNS: Record<string, string> = {
  company_name: "name",
  company_domain: "domain",
  company_size: "size",
  company_industry: "industry",
  company_tech_stack: "tech_stack",
};
const NUMBERS = new Set(["comp_min", "comp_max"]);
const BOOLEANS = new Set(["remote", "requires_visa_sponsorship"]);

/** A CSV cell as the JSON value the import schema expects; bad values pass through for zod to name. */
function cell(column: string, value: string): unknown {
  if (NUMBERS.has(column)) return /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  if (BOOLEANS.has(column)) {
    const v = value.trim().toLowerCase();
    return ["true", "1", "yes"].includes(v) ? true : ["false", "0", "no"].includes(v) ? false : value;
  }
  return value;
}

/** One CSV record under its header as an import row (empty cells are left out). */
export function csvRecordToJob(header: string[], record: string[]): Record<string, unknown> {
  const job: Record<string, unknown> = {};
  const company: Record<string, unknown> = {};
  header.forEach((column, i) => {
    const value = record[i] ?? "";
    if (value === "") return;
    if (column in COMPANY_COLUMNS) {
      const key = COMPANY_COLUMNS[column];
      company[key] = key === "tech_stack" ? value.split(/[;|]/).map((s) => s.trim()).filter(Boolean) : value;
    } else job[column] = cell(column, value);
  });
  if (Object.keys(company).length) job.company = company;
  if (record.length > header.length) job.extra_columns = record.slice(header.length);
  return job;
}

/** The format of a file by its name: `.csv` is CSV, anything else JSON Lines. */
export function formatOf(path: string): "csv" | "jsonl" {
  return /\.csv$/i.test(path) ? "csv" : "jsonl";
}

/** Streams the rows of a job file; `onBytes` reports progress. */
export async function* readJobRows(
  stream: ReadableStream<Uint8Array>,
  format: "csv" | "jsonl",
  onBytes?: (bytes: number) => void,
): AsyncGenerator<FileRow> {
  const decoder = new TextDecoder("utf-8");
  let index = 0;
  if (format === "csv") {
    const parser = new CsvParser();
    let header: string[] | undefined;
    const emit = function* (records: string[][]): Generator<FileRow> {
      for (const record of records) {
        if (!header) {
          header = record.map((h) => h.trim().toLowerCase());
          continue;
        }
        yield { index: index++, raw: csvRecordToJob(header, record) };
      }
    };
    for await (const chunk of stream) {
      onBytes?.(chunk.byteLength);
      yield* emit(parser.push(decoder.decode(chunk, { stream: true })));
    }
    yield* emit([...parser.push(decoder.decode()), ...parser.end()]);
    return;
  }
  let buffer = "";
  const emitLine = (line: string): FileRow | undefined => {
    if (!line.trim()) return undefined;
    const at = index++;
    try {
      return { index: at, raw: JSON.parse(line) };
    } catch {
      return { index: at, error: "not valid JSON" };
    }
  };
  for await (const chunk of stream) {
    onBytes?.(chunk.byteLength);
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const row = emitLine(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      if (row) yield row;
    }
  }
  const last = emitLine(buffer + decoder.decode());
  if (last) yield last;
}

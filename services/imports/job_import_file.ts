/**
 * Job files for `deno task import-jobs`: JSON Lines (one job object per line, as in the import API) or
 * CSV with a header row whose columns are the API's fields, the company's as `company_name`,
 * `company_domain`, `company_size`, `company_industry` and `company_tech_stack` (separated by `;` or `|`).
 * Rows stream out one at a time with their index, so a big file never sits in memory. A line (a CSV
 * record) longer than {@link MAX_LINE_CHARS} is refused as a row of its own, without being kept: a
 * description may have 100,000 characters, so 1 MiB leaves room for any valid row.
 */
import { CsvParser } from "@/core/csv.ts";

/** The longest line (JSON Lines) or record (CSV) read, in characters. */
export const MAX_LINE_CHARS = 1024 * 1024;

const TOO_LONG = `line longer than ${MAX_LINE_CHARS} characters`;

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
    const parser = new CsvParser(MAX_LINE_CHARS);
    let header: string[] | undefined;
    const emit = function* (records: string[][]): Generator<FileRow> {
      for (const record of records) {
        if (!header) {
          if (!record.length) throw new Error(`the CSV header is a ${TOO_LONG}`);
          header = record.map((h) => h.trim().toLowerCase());
          continue;
        }
        yield record.length
          ? { index: index++, raw: csvRecordToJob(header, record) }
          : { index: index++, error: TOO_LONG };
      }
    };
    for await (const chunk of stream) {
      onBytes?.(chunk.byteLength);
      yield* emit(parser.push(decoder.decode(chunk, { stream: true })));
    }
    yield* emit([...parser.push(decoder.decode()), ...parser.end()]);
    return;
  }
  // The current line's pieces: only each new chunk is searched for a newline (a long line is not re-scanned
  // per chunk, which was quadratic), and a line past the limit is dropped as it streams.
  let pieces: string[] = [];
  let length = 0;
  let tooLong = false;
  const emitLine = (): FileRow | undefined => {
    const line = pieces.join("");
    const long = tooLong;
    pieces = [];
    length = 0;
    tooLong = false;
    if (long) return { index: index++, error: TOO_LONG };
    if (!line.trim()) return undefined;
    const at = index++;
    try {
      return { index: at, raw: JSON.parse(line) };
    } catch {
      return { index: at, error: "not valid JSON" };
    }
  };
  const take = (text: string, from: number, to: number) => {
    length += to - from;
    if (length > MAX_LINE_CHARS) {
      tooLong = true;
      pieces = [];
    } else if (to > from) pieces.push(text.slice(from, to));
  };
  const lines = function* (text: string): Generator<FileRow> {
    let from = 0;
    for (let newline = text.indexOf("\n"); newline !== -1; newline = text.indexOf("\n", from)) {
      take(text, from, newline);
      const row = emitLine();
      if (row) yield row;
      from = newline + 1;
    }
    take(text, from, text.length);
  };
  for await (const chunk of stream) {
    onBytes?.(chunk.byteLength);
    yield* lines(decoder.decode(chunk, { stream: true }));
  }
  yield* lines(decoder.decode());
  const last = emitLine();
  if (last) yield last;
}

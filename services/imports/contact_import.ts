/**
 * `POST /api/companies/:id/contacts/import` reads either
 * - `text/csv`: a header row naming the columns (`full_name`, `email`, and any of `first_name`, `last_name`,
 *   `title`, `linkedin_url`, `source`; case and spaces ignored), then one contact per row; or
 * - JSON `{"contacts": [{full_name, email, ...}]}`.
 * Each row is validated on its own: good rows are imported, bad ones come back in `rejected` with their index
 * (0-based among the data rows) and the fields at fault. `source` defaults to `csv_import` / `api_import`.
 */
import { CsvParser } from "@/core/csv.ts";
import { HttpError } from "@/core/http_error.ts";
import { ContactFields, ImportContacts, MAX_IMPORT_ROWS } from "@/core/outreach_schemas.ts";
import { findBadText } from "@/core/text_guard.ts";
import { check, issuesToFields, readBody } from "@/core/validate.ts";
import type { ContactInput } from "@/db/contacts.ts";

const COLUMNS = ["full_name", "email", "first_name", "last_name", "title", "linkedin_url", "source"];
const MAX_BYTES = 5 * 1024 * 1024;

export interface ParsedImport {
  rows: ContactInput[];
  rejected: { index: number; error: string; fields: Record<string, string> }[];
}

/** A CSV record (one contact) longer than this is rejected: the allowed columns add up to about 1,500. */
export const MAX_CSV_RECORD_CHARS = 16 * 1024;

function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw notUtf8(cause);
  }
}

function notUtf8(cause: unknown) {
  return new HttpError(400, "the body must be UTF-8 text", { cause, code: "malformed" });
}

/**
 * The body's text as it arrives, decoded chunk by chunk, within the byte limit (chunked or not). The CSV
 * is parsed from these chunks, so an import holds its rows, not the body, a decoded copy and a table.
 */
async function* bodyText(req: Request): AsyncGenerator<string> {
  if (Number(req.headers.get("content-length") ?? "0") > MAX_BYTES) throw tooLarge();
  if (!req.body) return;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let size = 0;
  try {
    for await (const chunk of req.body) {
      size += chunk.byteLength;
      if (size > MAX_BYTES) throw tooLarge();
      yield decoder.decode(chunk, { stream: true });
    }
    yield decoder.decode();
  } catch (error) {
    throw error instanceof HttpError ? error : notUtf8(error);
  }
}

function tooLarge() {
  return new HttpError(413, `request body is larger than ${MAX_BYTES} bytes`);
}

/** The header row's column names, or a 422 naming the unknown and missing ones. */
function csvHeader(row: string[]): string[] {
  const header = row.map((h) => h.trim().toLowerCase().replace(/\s+/g, "_"));
  const unknown = header.filter((h) => !COLUMNS.includes(h));
  const missing = ["full_name", "email"].filter((h) => !header.includes(h));
  if (unknown.length || missing.length) {
    const fields: Record<string, string> = {};
    for (const h of unknown) {
      fields[`columns.${h || "(empty)"}`] = `unknown column; use ${COLUMNS.join(", ")}`;
    }
    for (const h of missing) fields[`columns.${h}`] = "required column missing";
    throw new HttpError(422, "invalid CSV header", { fields });
  }
  return header;
}

/**
 * A CSV import fed text as it arrives: each record is checked as it completes; past the row limit it stops
 * with a 422 (the caller then reads no further).
 */
function csvImporter(): { push(text: string): void; end(): ParsedImport } {
  const out: ParsedImport = { rows: [], rejected: [] };
  const parser = new CsvParser(MAX_CSV_RECORD_CHARS);
  let header: string[] | undefined;
  let index = 0;
  let first = true;
  const take = (records: string[][]) => {
    for (const row of records) {
      if (row.length && !row.some((cell) => cell.trim() !== "")) continue; // blank line
      if (!header) {
        if (!row.length) {
          throw new HttpError(422, "invalid CSV header", { fields: { body: "header too long" } });
        }
        header = csvHeader(row);
        continue;
      }
      if (index >= MAX_IMPORT_ROWS) {
        throw new HttpError(422, "invalid values", {
          fields: { body: `at most ${MAX_IMPORT_ROWS} contacts per import` },
        });
      }
      if (!row.length) {
        out.rejected.push({
          index: index++,
          error: "invalid values",
          fields: { body: `row longer than ${MAX_CSV_RECORD_CHARS} characters` },
        });
        continue;
      }
      const cols = header;
      const record = Object.fromEntries(
        cols.map((h, i) => [h, row[i]?.trim() ?? ""]).filter(([, v]) => v !== ""),
      );
      checkRecord(out, index++, { source: "csv_import", ...record });
    }
  };
  return {
    push(text: string) {
      if (first && text) {
        text = text.replace(/^\uFEFF/, "");
        first = false;
      }
      take(parser.push(text));
    },
    end() {
      take(parser.end());
      if (!header) {
        throw new HttpError(422, "invalid values", { fields: { body: "the CSV has no header row" } });
      }
      return out;
    },
  };
}

/** Streams a CSV import request's body through the importer. */
async function parseCsvImport(req: Request): Promise<ParsedImport> {
  const importer = csvImporter();
  for await (const text of bodyText(req)) importer.push(text);
  return importer.end();
}

/** CSV text (a header row, then one contact per row) validated row by row: the pages' import. */
export function parseContactCsv(text: string): ParsedImport {
  const importer = csvImporter();
  importer.push(text);
  return importer.end();
}

/** Checks one record (text guard, then the contact's schema) into rows or rejected. */
function checkRecord(out: ParsedImport, index: number, record: unknown): void {
  const bad = findBadText(record);
  if (bad) {
    out.rejected.push({ index, error: "invalid values", fields: { [bad.path]: bad.message } });
    return;
  }
  const parsed = ContactFields.safeParse(record);
  if (parsed.success) out.rows.push(parsed.data);
  else out.rejected.push({ index, error: "invalid values", fields: issuesToFields(parsed.error.issues) });
}

/** Reads and validates an import request's body, row by row. */
export async function parseContactImport(req: Request): Promise<ParsedImport> {
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  if (type.startsWith("text/csv")) return await parseCsvImport(req);
  const text = decode(await readBody(req, MAX_BYTES)).replace(/^\uFEFF/, "");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new HttpError(400, "the body must be CSV (text/csv) or JSON", { cause, code: "malformed_json" });
  }
  const records = check(ImportContacts, json).contacts;
  const out: ParsedImport = { rows: [], rejected: [] };
  records.forEach((record, index) => {
    const withSource = record && typeof record === "object" && !Array.isArray(record)
      ? { source: "api_import", ...record }
      : record;
    checkRecord(out, index, withSource);
  });
  return out;
}

/**
 * `POST /api/companies/:id/contacts/import` reads either
 * - `text/csv`: a header row naming the columns (`full_name`, `email`, and any of `first_name`, `last_name`,
 *   `title`, `linkedin_url`, `source`; case and spaces ignored), then one contact per row; or
 * - JSON `{"contacts": [{full_name, email, ...}]}`.
 * Each row is validated on its own: good rows are imported, bad ones come back in `rejected` with their index
 * (0-based among the data rows) and the fields at fault. `source` defaults to `csv_import` / `api_import`.
 */
import { parseCsv } from "./csv.ts";
import { HttpError } from "./http_error.ts";
import { ContactFields, ImportContacts, MAX_IMPORT_ROWS } from "./outreach_schemas.ts";
import { findBadText } from "./text_guard.ts";
import { check, issuesToFields, readBody } from "./validate.ts";
import type { ContactInput } from "../db/contacts.ts";

const COLUMNS = ["full_name", "email", "first_name", "last_name", "title", "linkedin_url", "source"];
const MAX_BYTES = 5 * 1024 * 1024;

export interface ParsedImport {
  rows: ContactInput[];
  rejected: { index: number; error: string; fields: Record<string, string> }[];
}

function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch (cause) {
    throw new HttpError(400, "the body must be UTF-8 text", { cause, code: "malformed" });
  }
}

function csvRecords(text: string): Record<string, string>[] {
  const table = parseCsv(text).filter((row) => row.some((cell) => cell.trim() !== ""));
  if (!table.length) {
    throw new HttpError(422, "invalid values", { fields: { body: "the CSV has no header row" } });
  }
  const header = table[0].map((h) => h.trim().toLowerCase().replace(/\s+/g, "_"));
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
  if (table.length - 1 > MAX_IMPORT_ROWS) {
    throw new HttpError(422, "invalid values", {
      fields: { body: `at most ${MAX_IMPORT_ROWS} contacts per import` },
    });
  }
  return table.slice(1).map((row) =>
    Object.fromEntries(header.map((h, i) => [h, row[i]?.trim() ?? ""]).filter(([, v]) => v !== ""))
  );
}

/** Reads and validates an import request's body, row by row. */
export async function parseContactImport(req: Request): Promise<ParsedImport> {
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  const text = decode(await readBody(req, MAX_BYTES));
  let records: unknown[];
  let defaultSource: string;
  if (type.startsWith("text/csv")) {
    records = csvRecords(text);
    defaultSource = "csv_import";
  } else {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new HttpError(400, "the body must be CSV (text/csv) or JSON", { cause, code: "malformed_json" });
    }
    records = check(ImportContacts, json).contacts;
    defaultSource = "api_import";
  }
  return validateRecords(records, defaultSource);
}

/** CSV text (a header row, then one contact per row) validated row by row: the pages' import. */
export function parseContactCsv(text: string): ParsedImport {
  return validateRecords(csvRecords(text.replace(/^\uFEFF/, "")), "csv_import");
}

function validateRecords(records: unknown[], defaultSource: string): ParsedImport {
  const out: ParsedImport = { rows: [], rejected: [] };
  records.forEach((record, index) => {
    const withSource = record && typeof record === "object" && !Array.isArray(record)
      ? { source: defaultSource, ...record }
      : record;
    const bad = findBadText(withSource);
    if (bad) {
      out.rejected.push({ index, error: "invalid values", fields: { [bad.path]: bad.message } });
      return;
    }
    const parsed = ContactFields.safeParse(withSource);
    if (parsed.success) out.rows.push(parsed.data);
    else out.rejected.push({ index, error: "invalid values", fields: issuesToFields(parsed.error.issues) });
  });
  return out;
}

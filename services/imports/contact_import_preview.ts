/**
 * The pages' CSV import, in two steps: a preview that says, row by row, what
 * will be created, merged with a contact already known (same email at the
 * company, or twice in the file) or rejected and why; then the import of the
 * same text. Nothing is written by the preview.
 */
import { parseContactCsv } from "./contact_import.ts";
import { HttpError } from "@/core/http_error.ts";
import { fieldLabel, humanMessage } from "@/core/form_messages.ts";
import { findKnownEmails } from "@/db/contact_edit.ts";
import type { ContactInput } from "@/db/contacts.ts";
import type { Sql } from "@/db/client.ts";

export interface ImportPreviewRow {
  /** 1-based line of the data row (the header is line 1, so the first contact is line 2). */
  line: number;
  outcome: "create" | "merge" | "reject";
  name: string;
  email: string;
  reason?: string;
}

export interface ImportPreview {
  rows: ImportPreviewRow[];
  created: number;
  merged: number;
  rejected: number;
  /** Valid rows, ready for `importContacts`. */
  valid: ContactInput[];
}

/** The preview of importing `csv` for the company; a CSV without its header is a 422 with the reason. */
export async function previewContactImport(
  sql: Sql,
  userId: number,
  companyId: number,
  csv: string,
): Promise<ImportPreview> {
  const parsed = parseContactCsv(csv);
  const known = await findKnownEmails(sql, userId, companyId, parsed.rows.map((r) => r.email));
  const seen = new Set<string>();
  const rows: ImportPreviewRow[] = [];
  let i = 0;
  const rejectedByIndex = new Map(parsed.rejected.map((r) => [r.index, r]));
  const total = parsed.rows.length + parsed.rejected.length;
  for (let index = 0; index < total; index++) {
    const bad = rejectedByIndex.get(index);
    if (bad) {
      rows.push({
        line: index + 2,
        outcome: "reject",
        name: "",
        email: "",
        reason: Object.entries(bad.fields).map(([k, v]) => `${fieldLabel(k)}: ${humanMessage(v)}`).join("; "),
      });
      continue;
    }
    const row = parsed.rows[i++];
    const key = row.email.toLowerCase();
    const merge = known.has(key) || seen.has(key);
    seen.add(key);
    rows.push({
      line: index + 2,
      outcome: merge ? "merge" : "create",
      name: row.full_name,
      email: row.email,
      reason: merge ? (known.has(key) ? "already a contact here" : "repeated in the file") : undefined,
    });
  }
  return {
    rows,
    created: rows.filter((r) => r.outcome === "create").length,
    merged: rows.filter((r) => r.outcome === "merge").length,
    rejected: rows.filter((r) => r.outcome === "reject").length,
    valid: parsed.rows,
  };
}

/** The CSV errors a page shows beside the text area (a bad header), or rethrows. */
export function importErrors(error: unknown): Record<string, string> {
  if (error instanceof HttpError && (error.status === 422 || error.status === 400)) {
    const fields = Object.entries(error.fields ?? {}).map(([k, v]) =>
      `${k.replace(/^columns\./, "column ")}: ${v}`
    );
    return { csv: fields.length ? fields.join("; ") : error.message };
  }
  throw error;
}

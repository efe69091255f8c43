/**
 * Import contacts from CSV on the application page: paste the text (or pick
 * a file, which /page.js reads into the text area), preview what will be
 * created, merged and rejected, then import.
 */
import type { ImportPreview } from "@/services/imports/contact_import_preview.ts";
import type { FieldErrors } from "@/core/page_forms.ts";
import CsrfField from "./CsrfField.tsx";
import ErrorSummary from "./ErrorSummary.tsx";
import TextField from "./TextField.tsx";

const OUTCOME: Record<string, string> = {
  create: "will be added",
  merge: "already known",
  reject: "rejected",
};

export default function ContactImport(
  { csv, preview, errors, csrfToken }: {
    csv?: string;
    preview?: ImportPreview;
    errors?: FieldErrors;
    csrfToken?: string;
  },
) {
  return (
    <div class="contact-import" id="import">
      <form method="post" action="#import" class="stack">
        <CsrfField token={csrfToken} />
        <input type="hidden" name="action" value="import_preview" />
        <ErrorSummary errors={errors} fieldIds={{ csv: "import-csv" }} title="The file could not be read" />
        <div class="field">
          <label for="import-file">CSV file</label>
          <input id="import-file" type="file" accept=".csv,text/csv" data-into="import-csv" />
        </div>
        <TextField
          id="import-csv"
          name="csv"
          label="Or paste it here"
          hint="a header row: full_name, email, and any of title, linkedin_url, first_name, last_name"
          value={csv}
          errors={errors}
          multiline
        />
        <div>
          <button type="submit" class="button-secondary">Preview the import</button>
        </div>
      </form>
      {preview && (
        <section aria-labelledby="import-preview-heading" class="import-preview">
          <h4 id="import-preview-heading">
            {preview.created} to add, {preview.merged} already known, {preview.rejected} rejected
          </h4>
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Contact</th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.line} data-outcome={r.outcome}>
                    <td>{r.line}</td>
                    <td>{r.name ? `${r.name} <${r.email}>` : "—"}</td>
                    <td>
                      {OUTCOME[r.outcome]}
                      {r.reason ? `: ${r.reason}` : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {preview.created > 0 && (
            <form method="post" action="#outreach">
              <CsrfField token={csrfToken} />
              <input type="hidden" name="action" value="import" />
              <input type="hidden" name="csv" value={csv ?? ""} />
              <button type="submit">
                Import {preview.created} contact{preview.created === 1 ? "" : "s"}
              </button>
            </form>
          )}
        </section>
      )}
    </div>
  );
}

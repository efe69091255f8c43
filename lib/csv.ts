/**
 * A streaming CSV reader (RFC 4180: commas, double-quoted fields with "" escapes and line breaks inside
 * quotes, CRLF or LF). Streaming because job files can be large: records come out as the bytes come in.
 */

/** Splits text chunks into records; call `push` per chunk and `end` once. */
export class CsvParser {
  #field = "";
  #record: string[] = [];
  #quoted = false;
  #afterQuote = false;
  #pendingCr = false;
  #touched = false;

  /** Parses a chunk; returns the records it completed. */
  push(chunk: string): string[][] {
    const out: string[][] = [];
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.#pendingCr) {
        this.#pendingCr = false;
        if (c === "\n") continue;
      }
      if (this.#quoted) {
        if (c === '"') {
          this.#quoted = false;
          this.#afterQuote = true;
        } else this.#field += c;
        continue;
      }
      if (c === '"') {
        if (this.#afterQuote) this.#field += '"'; // "" inside quotes
        this.#quoted = true;
        this.#afterQuote = false;
        this.#touched = true;
        continue;
      }
      this.#afterQuote = false;
      if (c === ",") {
        this.#record.push(this.#field);
        this.#field = "";
        this.#touched = true;
      } else if (c === "\n" || c === "\r") {
        if (c === "\r") this.#pendingCr = true;
        this.#finishRecord(out);
      } else {
        this.#field += c;
        this.#touched = true;
      }
    }
    return out;
  }

  /** Flushes the last record (a file need not end with a newline). */
  end(): string[][] {
    const out: string[][] = [];
    this.#finishRecord(out);
    return out;
  }

  #finishRecord(out: string[][]): void {
    if (this.#touched || this.#record.length) {
      this.#record.push(this.#field);
      out.push(this.#record);
    }
    this.#record = [];
    this.#field = "";
    this.#touched = false;
    this.#afterQuote = false;
  }
}

/** Parses a whole CSV text (tests, small files). */
export function parseCsv(text: string): string[][] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}

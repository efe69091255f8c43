/**
 * A streaming CSV reader (RFC 4180: commas, double-quoted fields with "" escapes and line breaks inside
 * quotes, CRLF or LF). Streaming because job files can be large: records come out as the bytes come in.
 */

/**
 * Splits text chunks into records; call `push` per chunk and `end` once.
 *
 * Text is taken in slices between the special characters (quote, comma, CR, LF), never one character at a
 * time: a field built with `+=` per character is a rope of one node per character, about 20 times the
 * text's size in memory (an 80 MB field took 2.9 GB). A record longer than `maxRecordChars` is not kept:
 * it comes out as an empty array (a real record always has at least one field), and parsing goes on
 * with the next record.
 */
export class CsvParser {
  #field = "";
  #record: string[] = [];
  #quoted = false;
  #afterQuote = false;
  #pendingCr = false;
  #touched = false;
  #size = 0;
  #tooLong = false;

  constructor(readonly maxRecordChars = Infinity) {}

  /** Parses a chunk; returns the records it completed. */
  push(chunk: string): string[][] {
    const out: string[][] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.#pendingCr) {
        this.#pendingCr = false;
        if (chunk[i] === "\n") {
          i++;
          continue;
        }
      }
      if (this.#quoted) {
        const quote = chunk.indexOf('"', i);
        const stop = quote === -1 ? chunk.length : quote;
        this.#append(chunk, i, stop);
        if (quote === -1) return out;
        this.#quoted = false;
        this.#afterQuote = true;
        i = quote + 1;
        continue;
      }
      SPECIAL.lastIndex = i;
      const hit = SPECIAL.exec(chunk);
      const stop = hit ? hit.index : chunk.length;
      if (stop > i) {
        this.#afterQuote = false;
        this.#append(chunk, i, stop);
        this.#touched = true;
      }
      if (!hit) return out;
      const c = chunk[stop];
      i = stop + 1;
      if (c === '"') {
        if (this.#afterQuote) this.#append('"', 0, 1); // "" inside quotes
        this.#quoted = true;
        this.#afterQuote = false;
        this.#touched = true;
        continue;
      }
      this.#afterQuote = false;
      if (c === ",") {
        if (!this.#tooLong) this.#record.push(this.#field);
        this.#field = "";
        this.#touched = true;
      } else {
        if (c === "\r") this.#pendingCr = true;
        this.#finishRecord(out);
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

  #append(text: string, from: number, to: number): void {
    if (to <= from) return;
    this.#size += to - from;
    if (this.#size > this.maxRecordChars) {
      this.#tooLong = true;
      this.#field = "";
      this.#record = [];
    }
    if (!this.#tooLong) this.#field += text.slice(from, to);
  }

  #finishRecord(out: string[][]): void {
    if (this.#tooLong) out.push([]);
    else if (this.#touched || this.#record.length) {
      this.#record.push(this.#field);
      out.push(this.#record);
    }
    this.#record = [];
    this.#field = "";
    this.#touched = false;
    this.#afterQuote = false;
    this.#size = 0;
    this.#tooLong = false;
  }
}

const SPECIAL = /[",\r\n]/g;

/** Parses a whole CSV text (tests, small files). */
export function parseCsv(text: string): string[][] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}

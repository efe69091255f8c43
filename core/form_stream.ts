/**
 * Reads a `multipart/form-data` or `application/x-www-form-urlencoded` body as a stream and keeps only
 * what a webhook needs: text fields, each cut at a byte cap, within a total budget. File parts (with a
 * `filename`) are skipped as they stream by. So a 25 MB form costs a few hundred KB of memory, not the
 * body plus its parsed copy (Request.formData() holds both), and `onField` can refuse the request as
 * soon as the fields it needs have streamed by (the webhook's signature), before the rest is read.
 */
import { HttpError } from "./http_error.ts";

export interface FormStreamLimits {
  /** The whole body, enforced while it is read (chunked or not): 413 past it. */
  maxBodyBytes: number;
  /** A kept field's value is cut at this many bytes. */
  maxFieldBytes: number;
  /** All kept values together; fields past it are dropped. */
  maxKeptBytes: number;
  /** At most this many fields are kept. */
  maxFields: number;
}

/** Called with the fields kept so far after each field; throw to stop reading (the body is cancelled). */
export type OnField = (fields: Record<string, string>, name: string) => void | Promise<void>;

const MAX_PART_HEADER_BYTES = 16 * 1024;
const CRLF = new Uint8Array([13, 10]);
const CRLFCRLF = new Uint8Array([13, 10, 13, 10]);

/** Streams the body's fields; 400 for a content type that is neither form encoding. */
export async function readFormFields(
  req: Request,
  limits: FormStreamLimits,
  onField?: OnField,
): Promise<Record<string, string>> {
  const type = req.headers.get("content-type") ?? "";
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limits.maxBodyBytes) throw tooLarge(limits.maxBodyBytes);
  const sink = new FieldSink(limits, onField);
  const boundary = /^multipart\/form-data\s*;.*\bboundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(type);
  const parser = boundary
    ? new MultipartParser(boundary[1] ?? boundary[2], sink)
    : /^application\/x-www-form-urlencoded\b/i.test(type)
    ? new UrlencodedParser(sink)
    : undefined;
  if (!parser) throw new HttpError(400, "body must be multipart/form-data or urlencoded");
  if (!req.body) return sink.fields;
  const reader = req.body.getReader();
  let size = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBodyBytes) throw tooLarge(limits.maxBodyBytes);
      await parser.push(value);
    }
    await parser.end();
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  }
  return sink.fields;
}

function tooLarge(limit: number) {
  return new HttpError(413, `request body is larger than ${limit} bytes`);
}

function malformed(): HttpError {
  return new HttpError(400, "malformed form body");
}

/** Collects field values within the caps and reports each finished field. */
class FieldSink {
  readonly fields: Record<string, string> = {};
  #kept = 0;
  #count = 0;
  #name = "";
  #parts: Uint8Array[] = [];
  #size = 0;
  #keep = false;

  constructor(readonly limits: FormStreamLimits, readonly onField?: OnField) {}

  begin(name: string, isFile: boolean) {
    this.#name = name;
    this.#parts = [];
    this.#size = 0;
    this.#keep = !isFile && this.#count < this.limits.maxFields && this.#kept < this.limits.maxKeptBytes;
  }

  data(bytes: Uint8Array) {
    if (!this.#keep) return;
    const room = Math.min(this.limits.maxFieldBytes - this.#size, this.limits.maxKeptBytes - this.#kept);
    if (room <= 0) return;
    const piece = bytes.byteLength > room ? bytes.slice(0, room) : bytes.slice();
    this.#parts.push(piece);
    this.#size += piece.byteLength;
    this.#kept += piece.byteLength;
  }

  async finish() {
    if (!this.#keep) return;
    const all = new Uint8Array(this.#size);
    let at = 0;
    for (const part of this.#parts) {
      all.set(part, at);
      at += part.byteLength;
    }
    this.#parts = [];
    this.#count++;
    if (!(this.#name in this.fields)) this.fields[this.#name] = new TextDecoder().decode(all);
    await this.onField?.(this.fields, this.#name);
  }
}

/** The first index of `needle` in `hay` at or after `from`, or -1. */
export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  const last = hay.byteLength - needle.byteLength;
  for (let i = hay.indexOf(first, from); i !== -1 && i <= last; i = hay.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.byteLength && hay[i + j] === needle[j]) j++;
    if (j === needle.byteLength) return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.byteLength) return b;
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

/** RFC 7578: parts separated by `--boundary`; each part's headers, a blank line, then its bytes. */
class MultipartParser {
  #buf: Uint8Array = new Uint8Array();
  #state: "preamble" | "headers" | "body" | "after" | "done" = "preamble";
  readonly #first: Uint8Array;
  readonly #delimiter: Uint8Array;

  constructor(boundary: string, readonly sink: FieldSink) {
    this.#first = new TextEncoder().encode(`--${boundary}`);
    this.#delimiter = new TextEncoder().encode(`\r\n--${boundary}`);
  }

  async push(chunk: Uint8Array) {
    this.#buf = concat(this.#buf, chunk);
    while (true) {
      if (this.#state === "preamble") {
        const at = indexOfBytes(this.#buf, this.#first);
        if (at === -1) {
          if (this.#buf.byteLength > MAX_PART_HEADER_BYTES) throw malformed();
          return;
        }
        this.#buf = this.#buf.subarray(at + this.#first.byteLength);
        this.#state = "after";
      } else if (this.#state === "after") {
        if (this.#buf.byteLength < 2) return;
        if (this.#buf[0] === 45 && this.#buf[1] === 45) { // "--": the closing delimiter
          this.#state = "done";
          this.#buf = new Uint8Array();
          return;
        }
        const eol = indexOfBytes(this.#buf, CRLF);
        if (eol === -1) {
          if (this.#buf.byteLength > 1024) throw malformed();
          return;
        }
        this.#buf = this.#buf.subarray(eol + 2);
        this.#state = "headers";
      } else if (this.#state === "headers") {
        // A part without headers starts with the blank line itself.
        const end = this.#buf[0] === 13 && this.#buf[1] === 10 ? -2 : indexOfBytes(this.#buf, CRLFCRLF);
        if (end === -1) {
          if (this.#buf.byteLength > MAX_PART_HEADER_BYTES) throw malformed();
          return;
        }
        const head = end < 0 ? "" : new TextDecoder().decode(this.#buf.subarray(0, end));
        this.#buf = this.#buf.subarray(end < 0 ? 2 : end + 4);
        const disposition = /^content-disposition:(.*)$/im.exec(head)?.[1] ?? "";
        const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? /\bname=([^\s;]+)/i.exec(disposition)?.[1];
        this.sink.begin(name ?? "", name === undefined || /\bfilename\*?=/i.test(disposition));
        this.#state = "body";
      } else if (this.#state === "body") {
        const at = indexOfBytes(this.#buf, this.#delimiter);
        if (at === -1) {
          // Hand on all but what could be the start of a delimiter split across chunks.
          const safe = this.#buf.byteLength - (this.#delimiter.byteLength - 1);
          if (safe > 0) {
            this.sink.data(this.#buf.subarray(0, safe));
            this.#buf = this.#buf.slice(safe);
          }
          return;
        }
        this.sink.data(this.#buf.subarray(0, at));
        this.#buf = this.#buf.subarray(at + this.#delimiter.byteLength);
        this.#state = "after";
        await this.sink.finish();
      } else {
        this.#buf = new Uint8Array(); // the epilogue is ignored
        return;
      }
    }
  }

  end() {
    if (this.#state !== "done") throw malformed();
  }
}

/** `name=value&...`, percent- and plus-decoded; a pair is cut at the field cap as it streams. */
class UrlencodedParser {
  #pending: Uint8Array = new Uint8Array();

  constructor(readonly sink: FieldSink) {}

  async push(chunk: Uint8Array) {
    let from = 0;
    while (true) {
      const amp = chunk.indexOf(38, from); // "&"
      const piece = chunk.subarray(from, amp === -1 ? chunk.byteLength : amp);
      this.#append(piece);
      if (amp === -1) return;
      await this.#flush();
      from = amp + 1;
    }
  }

  async end() {
    await this.#flush();
  }

  #append(piece: Uint8Array) {
    // Percent-encoding triples the bytes at most: keep enough for a full field plus its name.
    const cap = this.sink.limits.maxFieldBytes * 3 + 1024;
    if (this.#pending.byteLength >= cap) return;
    this.#pending = concat(this.#pending, piece.subarray(0, cap - this.#pending.byteLength));
  }

  async #flush() {
    if (!this.#pending.byteLength) return;
    const pair = new TextDecoder().decode(this.#pending);
    this.#pending = new Uint8Array();
    for (const [name, value] of new URLSearchParams(pair)) {
      this.sink.begin(name, false);
      this.sink.data(new TextEncoder().encode(value));
      await this.sink.finish();
    }
  }
}

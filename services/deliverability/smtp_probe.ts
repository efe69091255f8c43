/**
 * The SMTP `RCPT TO` probe: connect to the domain's mail exchanger, say
 * EHLO, `MAIL FROM:<>`, `RCPT TO:<address>`, then `RCPT TO:` a random local
 * part at the same domain (a server that accepts that accepts everything: a
 * catch-all), and QUIT. Nothing is sent: DATA is never issued.
 *
 * Off by default (`ROLEFERRY_SMTP_PROBE=on` turns it on): large providers
 * rate-limit and greylist probing IPs, answer "accepted" for everything, or
 * list the probing IP on blocklists, which would hurt the sending reputation
 * of the same machine. Most hosting providers also block outbound port 25.
 */

import type { ProbeOutcome } from "@/core/deliverability/verification.ts";

export interface ProbeOptions {
  /** IP address (or host) of the mail exchanger, already resolved. */
  host: string;
  port: number;
  timeoutMs?: number;
  /** The name said in EHLO. */
  heloName?: string;
  /** For the catch-all test; defaults to a random 20-character local part. */
  randomLocal?: string;
}

class Lines {
  #buf = "";
  #decoder = new TextDecoder();
  constructor(private conn: Deno.Conn) {}

  /** One full reply (multi-line `250-…` continued until `250 …`): its code. */
  async reply(): Promise<number> {
    const chunk = new Uint8Array(4096);
    while (true) {
      const lines = this.#buf.split("\r\n");
      for (let i = 0; i < lines.length - 1; i++) {
        const m = /^(\d{3})([ -])/.exec(lines[i]) ?? /^(\d{3})$/.exec(lines[i]);
        if (m && m[2] !== "-") {
          this.#buf = lines.slice(i + 1).join("\r\n");
          return Number(m[1]);
        }
      }
      const n = await this.conn.read(chunk);
      if (n === null) throw new Error("connection closed");
      this.#buf += this.#decoder.decode(chunk.subarray(0, n));
      if (this.#buf.length > 65536) throw new Error("reply too long");
    }
  }

  async command(line: string): Promise<number> {
    await this.conn.write(new TextEncoder().encode(`${line}\r\n`));
    return await this.reply();
  }
}

function randomLocal(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return "rf" + [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 18);
}

/** Probes one address; never throws (any failure is `unknown`). */
export async function probeAddress(address: string, opts: ProbeOptions): Promise<ProbeOutcome> {
  const domain = address.slice(address.lastIndexOf("@") + 1);
  let conn: Deno.Conn | undefined;
  const timer = setTimeout(() => conn?.close(), opts.timeoutMs ?? 10_000);
  try {
    conn = await Deno.connect({ hostname: opts.host, port: opts.port });
    const io = new Lines(conn);
    if ((await io.reply()) !== 220) return "unknown";
    let code = await io.command(`EHLO ${opts.heloName ?? "roleferry.invalid"}`);
    if (code !== 250) code = await io.command(`HELO ${opts.heloName ?? "roleferry.invalid"}`);
    if (code !== 250) return "unknown";
    if ((await io.command("MAIL FROM:<>")) !== 250) return "unknown";
    const real = await io.command(`RCPT TO:<${address}>`);
    if (real >= 500) return "rejected";
    if (real !== 250 && real !== 251) return "unknown";
    const fake = await io.command(`RCPT TO:<${opts.randomLocal ?? randomLocal()}@${domain}>`);
    await io.command("QUIT").catch(() => 0);
    if (fake === 250 || fake === 251) return "catch_all";
    return "accepted";
  } catch {
    return "unknown";
  } finally {
    clearTimeout(timer);
    try {
      conn?.close();
    } catch { /* already closed by the timer */ }
  }
}

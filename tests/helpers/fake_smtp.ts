/**
 * A tiny SMTP server on 127.0.0.1 for the SMTP transport's tests: EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA,
 * QUIT; no TLS. Records each message (envelope, credentials, raw data); `rejectRcpt` scripts a reply code.
 */
export interface SmtpMessage {
  user: string;
  pass: string;
  from: string;
  to: string[];
  data: string;
}

export interface FakeSmtp {
  port: number;
  messages: SmtpMessage[];
  /** Answer RCPT TO with this reply (e.g. "550 5.1.1 no such user") until cleared. */
  rejectRcpt: string | null;
  close(): void;
}

export function startFakeSmtp(): FakeSmtp {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const state: FakeSmtp = {
    port: (listener.addr as Deno.NetAddr).port,
    messages: [],
    rejectRcpt: null,
    close: () => listener.close(),
  };
  (async () => {
    for await (const conn of listener) serve(conn).catch(() => {}).finally(() => conn.close());
  })().catch(() => {});

  async function serve(conn: Deno.Conn) {
    const enc = new TextEncoder();
    const dec = new TextDecoder();
    const write = (line: string) => conn.write(enc.encode(line + "\r\n"));
    let buffer = "";
    let inData = false;
    let current: SmtpMessage = { user: "", pass: "", from: "", to: [], data: "" };
    let authLogin: "user" | "pass" | null = null;
    await write("220 fake.smtp ESMTP");
    const chunk = new Uint8Array(65536);
    while (true) {
      const n = await conn.read(chunk);
      if (n === null) return;
      buffer += dec.decode(chunk.subarray(0, n));
      while (true) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) break;
          current.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          state.messages.push(current);
          current = { user: current.user, pass: current.pass, from: "", to: [], data: "" };
          await write("250 2.0.0 queued");
          continue;
        }
        const eol = buffer.indexOf("\r\n");
        if (eol < 0) break;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.split(" ")[0].toUpperCase();
        if (authLogin === "user") {
          current.user = atob(line);
          authLogin = "pass";
          await write("334 UGFzc3dvcmQ6");
        } else if (authLogin === "pass") {
          current.pass = atob(line);
          authLogin = null;
          await write("235 2.7.0 ok");
        } else if (verb === "EHLO" || verb === "HELO") {
          await write("250-fake.smtp\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME");
        } else if (verb === "AUTH") {
          const [, mech, arg] = line.split(" ");
          if (mech.toUpperCase() === "PLAIN") {
            const [, user, pass] = atob(arg).split("\0");
            current.user = user;
            current.pass = pass;
            await write("235 2.7.0 ok");
          } else {
            authLogin = "user";
            await write("334 VXNlcm5hbWU6");
          }
        } else if (verb === "MAIL") {
          current.from = line.slice(line.indexOf(":") + 1).trim();
          await write("250 ok");
        } else if (verb === "RCPT") {
          if (state.rejectRcpt) await write(state.rejectRcpt);
          else {
            current.to.push(line.slice(line.indexOf(":") + 1).trim());
            await write("250 ok");
          }
        } else if (verb === "DATA") {
          inData = true;
          await write("354 go ahead");
        } else if (verb === "RSET" || verb === "NOOP") {
          await write("250 ok");
        } else if (verb === "QUIT") {
          await write("221 bye");
          return;
        } else {
          await write("502 unknown");
        }
      }
    }
  }
  return state;
}

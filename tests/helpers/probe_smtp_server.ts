/**
 * A local SMTP server (npm `smtp-server`) that knows a set of mailboxes, for the
 * RCPT probe's tests: RCPT TO a known address is 250, an unknown one 550
 * 5.1.1, unless `catchAll` (every RCPT accepted; `catchAllDomains`: at those domains) or `greylist` (every RCPT
 * 450 4.2.0). DATA is refused: the probe must never send.
 */
import { SMTPServer } from "smtp-server";

export interface ProbeSmtp {
  port: number;
  /** RCPT TO addresses seen. */
  rcpts: string[];
  dataAttempts: number;
  close(): Promise<void>;
}

export async function startProbeSmtp(
  mailboxes: string[],
  opts: { catchAll?: boolean; greylist?: boolean; catchAllDomains?: string[] } = {},
): Promise<ProbeSmtp> {
  const known = new Set(mailboxes.map((m) => m.toLowerCase()));
  const state = { rcpts: [] as string[], dataAttempts: 0 };
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    // no reverse lookup of the client: it would ask the machine's resolver (traffic beyond the machine)
    disableReverseLookup: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      state.rcpts.push(address.address);
      if (opts.greylist) {
        return callback(Object.assign(new Error("4.2.0 try again later"), { responseCode: 450 }));
      }
      const domain = address.address.split("@").pop()!.toLowerCase();
      if (
        opts.catchAll || opts.catchAllDomains?.includes(domain) || known.has(address.address.toLowerCase())
      ) {
        return callback();
      }
      callback(Object.assign(new Error("5.1.1 no such user"), { responseCode: 550 }));
    },
    onData(_stream, _session, callback) {
      state.dataAttempts++;
      callback(Object.assign(new Error("5.7.1 this server receives no mail"), { responseCode: 554 }));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    get rcpts() {
      return state.rcpts;
    },
    get dataAttempts() {
      return state.dataAttempts;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A TCP proxy in front of PostgreSQL that counts what a client sends: statements executed and round trips.
 * Used by the search's round-trip test and the benchmark (`bench/search_single.ts`), so the count is
 * measured on the wire, whatever the driver does.
 *
 * - **Statements**: Execute (`E`) and simple Query (`Q`) messages.
 * - **Round trips**: the times the client starts sending while it has nothing unanswered, i.e. it had to
 *   wait for every earlier answer before sending this. A request is unanswered from its Sync (`S`, answered
 *   by ReadyForQuery `Z`), simple Query (`Q`, likewise) or Flush (`H`, answered by the RowDescription /
 *   NoData / error that ends a Describe, as postgres.js sends it before a statement's first run on a
 *   connection) until its answer passes through. Pipelined statements (sent before the earlier ones are
 *   answered) are one round trip. It can only over-count: when the server has answered everything sent so
 *   far before the client's next write of the same batch arrives.
 *
 * The startup and authentication exchange of a new connection is not counted (before the first `Z`).
 */

export interface WireCounts {
  statements: number;
  roundTrips: number;
}

export interface WireProxy {
  /** Port to connect to instead of PostgreSQL's. */
  port: number;
  /** The database URL given, through the proxy. */
  url: string;
  /** Counts since the proxy started (all connections). */
  counts(): WireCounts;
  close(): Promise<void>;
}

/** Starts a proxy in front of the server of `databaseUrl`; connect to its `url` to be counted. */
export function startWireProxy(databaseUrl: string): WireProxy {
  const direct = new URL(databaseUrl);
  const target = { hostname: direct.hostname, port: Number(direct.port) };
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const proxied = new URL(databaseUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = String((listener.addr as Deno.NetAddr).port);
  const total: WireCounts = { statements: 0, roundTrips: 0 };
  const conns = new Set<Deno.Conn>();
  const done: Promise<void>[] = [];
  const accept = (async () => {
    for await (const client of listener) {
      conns.add(client);
      done.push(serve(client).catch(() => {}).finally(() => conns.delete(client)));
    }
  })().catch(() => {});

  async function serve(client: Deno.Conn): Promise<void> {
    const server = await Deno.connect(target);
    conns.add(server);
    // What the client waits for, oldest first: "Z" per Sync/Query, "H" per Flush.
    const expected: ("Z" | "H")[] = [];
    let ready = false; // after the first ReadyForQuery: startup and authentication are over
    let batchOpen = false; // messages sent since the last Sync/Flush/Query: the rest of a batch follows
    const up = messages(true, (type) => {
      if (type === "E" || type === "Q") total.statements += ready ? 1 : 0;
      if (type === "S" || type === "Q") expected.push("Z");
      if (type === "H") expected.push("H");
      batchOpen = !(type === "S" || type === "Q" || type === "H");
    }, () => down.expectSslAnswer());
    const down = messages(false, (type) => {
      if (type === "Z") {
        ready = true;
        const i = expected.indexOf("Z");
        if (i >= 0) expected.splice(0, i + 1);
      } else if ((type === "T" || type === "n" || type === "E") && expected[0] === "H") expected.shift();
    });
    const pump = async (from: Deno.Conn, to: Deno.Conn, onChunk: (b: Uint8Array) => void) => {
      const buf = new Uint8Array(64 * 1024);
      try {
        for (;;) {
          const n = await from.read(buf);
          if (n === null) break;
          const chunk = buf.slice(0, n);
          onChunk(chunk);
          let off = 0;
          while (off < chunk.length) off += await to.write(chunk.subarray(off));
        }
      } finally {
        try {
          to.closeWrite();
        } catch { /* closed */ }
      }
    };
    await Promise.allSettled([
      pump(client, server, (chunk) => {
        if (ready && expected.length === 0 && !batchOpen && !up.partial()) total.roundTrips++;
        up.feed(chunk);
      }),
      pump(server, client, (chunk) => down.feed(chunk)),
    ]);
    for (const c of [client, server]) {
      try {
        c.close();
      } catch { /* closed */ }
      conns.delete(c);
    }
  }

  return {
    port: (listener.addr as Deno.NetAddr).port,
    url: proxied.toString(),
    counts: () => ({ ...total }),
    async close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      await accept;
      await Promise.allSettled(done);
    },
  };
}

/**
 * Splits a protocol byte stream into messages (type byte + int32 length). The client's stream starts with
 * untyped messages (SSLRequest, StartupMessage: int32 length first) until the StartupMessage.
 */
function messages(fromClient: boolean, onMessage: (type: string) => void, onSslRequest?: () => void) {
  let pending = new Uint8Array(0);
  let untyped = fromClient;
  let sslAnswer = false; // the server's one-byte answer to an SSLRequest
  return {
    partial: () => pending.length > 0,
    feed(chunk: Uint8Array) {
      const all = new Uint8Array(pending.length + chunk.length);
      all.set(pending);
      all.set(chunk, pending.length);
      let off = 0;
      for (;;) {
        if (!fromClient && sslAnswer && off < all.length) {
          off += 1;
          sslAnswer = false;
          continue;
        }
        if (untyped) {
          if (all.length - off < 8) break;
          const view = new DataView(all.buffer, all.byteOffset + off);
          const len = view.getInt32(0);
          if (all.length - off < len) break;
          const code = view.getInt32(4);
          off += len;
          if (code === 80877103 || code === 80877104) {
            onSslRequest?.(); // SSL / GSS encryption request: the server answers one byte
            continue;
          }
          untyped = false; // StartupMessage (or CancelRequest)
          continue;
        }
        if (all.length - off < 5) break;
        const len = new DataView(all.buffer, all.byteOffset + off + 1).getInt32(0);
        if (all.length - off < len + 1) break;
        onMessage(String.fromCharCode(all[off]));
        off += len + 1;
      }
      pending = all.slice(off);
    },
    /** The server will answer an SSLRequest with one byte: call on the server-side parser. */
    expectSslAnswer() {
      sslAnswer = true;
    },
  };
}

/** A free TCP port on the loopback interface (kept apart from bench/pg.ts so importing it loads no PostgreSQL). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/**
 * The body of one password-hashing worker (services/accounts/password_pool.ts): bcryptjs in its own thread, so a cost-12
 * hash (about a quarter of a second of CPU) never holds up the event loop that answers requests.
 */
/// <reference lib="deno.worker" />
import bcrypt from "bcryptjs";

export type PasswordJob =
  | { id: number; op: "hash"; password: string; cost: number }
  | { id: number; op: "compare"; password: string; hash: string };

export type PasswordResult = { id: number; ok: true; value: string | boolean } | {
  id: number;
  ok: false;
  error: string;
};

self.onmessage = async (event: MessageEvent<PasswordJob>) => {
  const job = event.data;
  try {
    const value = job.op === "hash"
      ? await bcrypt.hash(job.password, job.cost)
      : await bcrypt.compare(job.password, job.hash);
    self.postMessage({ id: job.id, ok: true, value } satisfies PasswordResult);
  } catch (error) {
    self.postMessage({ id: job.id, ok: false, error: String(error) } satisfies PasswordResult);
  }
};

/**
 * A small pool of Web Workers running bcryptjs (services/accounts/password_worker.ts). bcrypt at cost 12 takes about a
 * quarter of a second of CPU; on the event loop, 40 parallel sign-ups stalled every other request for
 * seconds (issue 9). In workers the event loop stays free, and the pool's size bounds how many cores
 * hashing may take: one less than the machine has (at least one), so requests and PostgreSQL keep a core.
 *
 * Workers start on first use and stay until `close()`; the queue in front of them is bounded, and past it
 * the answer is a 503 with Retry-After rather than an ever longer wait. The app has one pool (inside the
 * app context's `passwords`, services/accounts/password.ts), made by the composition root.
 */
import bcrypt from "bcryptjs";
import { HttpError } from "@/core/http_error.ts";
import type { PasswordJob, PasswordResult } from "./password_worker.ts";

export type JobInput = { op: "hash"; password: string; cost: number } | {
  op: "compare";
  password: string;
  hash: string;
};

interface Pending {
  job: PasswordJob;
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
}

/** Jobs waiting for a worker beyond which new ones are refused (about 16 s of cost-12 work on 2 workers). */
export const MAX_QUEUED_HASHES = 128;

/** Workers: one less than the cores, at least one, at most four. */
export function poolSize(cores = navigator.hardwareConcurrency || 1): number {
  return Math.max(1, Math.min(4, cores - 1));
}

/** One pool of hashing workers; `run` queues a job, `close` stops the workers and fails what waits. */
export class PasswordPool {
  #workers: { worker: Worker; busy: Pending | undefined }[] = [];
  #queue: Pending[] = [];
  #nextId = 1;

  constructor(readonly size: number = poolSize()) {}

  run(input: JobInput): Promise<string | boolean> {
    if (this.#queue.length >= MAX_QUEUED_HASHES) {
      return Promise.reject(
        new HttpError(503, "too many sign-ins at once; try again shortly", {
          code: "busy",
          headers: { "retry-after": "5" },
        }),
      );
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ job: { ...input, id: this.#nextId++ } as PasswordJob, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#queue.length) {
      let slot = this.#workers.find((w) => !w.busy);
      if (!slot && this.#workers.length < this.size) {
        try {
          slot = this.#spawn();
        } catch (error) {
          // A runtime without Web Workers: hash on this thread rather than not at all (and say so once).
          if (!this.#workers.length) return this.#runInline(error);
        }
      }
      if (!slot) return;
      const pending = this.#queue.shift()!;
      slot.busy = pending;
      slot.worker.postMessage(pending.job);
    }
  }

  #spawn(): { worker: Worker; busy: Pending | undefined } {
    const worker = new Worker(new URL("./password_worker.ts", import.meta.url), { type: "module" });
    const slot: { worker: Worker; busy: Pending | undefined } = { worker, busy: undefined };
    worker.onmessage = (event: MessageEvent<PasswordResult>) => {
      const pending = slot.busy;
      slot.busy = undefined;
      if (pending && pending.job.id === event.data.id) {
        if (event.data.ok) pending.resolve(event.data.value);
        else pending.reject(new Error(event.data.error));
      }
      this.#pump();
    };
    worker.onerror = (event) => {
      // A crashed worker is replaced; its job fails (a 500 for that one request, never a hang).
      event.preventDefault();
      const pending = slot.busy;
      slot.busy = undefined;
      this.#workers = this.#workers.filter((w) => w !== slot);
      worker.terminate();
      pending?.reject(new Error(`password worker failed: ${event.message}`));
      this.#pump();
    };
    this.#workers.push(slot);
    return slot;
  }

  #warned = false;

  #runInline(error: unknown): void {
    if (!this.#warned) {
      this.#warned = true;
      console.warn(`password hashing on the main thread: workers unavailable (${error})`);
    }
    for (const pending of this.#queue.splice(0)) {
      const job = pending.job;
      const work = job.op === "hash"
        ? bcrypt.hash(job.password, job.cost)
        : bcrypt.compare(job.password, job.hash);
      work.then(pending.resolve, pending.reject);
    }
  }

  close(): void {
    for (const { worker, busy } of this.#workers) {
      worker.terminate();
      busy?.reject(new Error("password pool closed"));
    }
    this.#workers = [];
    for (const pending of this.#queue.splice(0)) pending.reject(new Error("password pool closed"));
  }
}

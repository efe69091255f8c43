/** Test helper: one HTTP exchange, read whole, so that tests assert status, then type, then body. */
export interface Answer {
  status: number;
  type: string | null;
  headers: Headers;
  body: string;
}

/** Fetches `base + path` and reads the body as text. */
export async function request(base: string, path: string, init?: RequestInit): Promise<Answer> {
  const res = await fetch(base + path, { redirect: "manual", ...init });
  const body = await res.text();
  return { status: res.status, type: res.headers.get("content-type"), headers: res.headers, body };
}

/** Runs `fn` with console.error captured, returning what was logged as text. */
export async function captureErrors(fn: () => unknown): Promise<string> {
  const original = console.error;
  const lines: string[] = [];
  console.error = (...args: unknown[]) => {
    lines.push(args.map((a) => a instanceof Error ? `${a.name}: ${a.message}` : String(a)).join(" "));
  };
  try {
    await fn();
  } finally {
    console.error = original;
  }
  return lines.join("\n");
}

/**
 * A real `deno run -A main.ts` child process for end-to-end tests: its log lines collected as they come, and
 * the URL it announces in its `{"msg":"listening"}` line.
 */
export interface MainProcess {
  child: Deno.ChildProcess;
  /** stdout and stderr lines, in arrival order. */
  lines: string[];
  /** The URL from the listening line. */
  listening: Promise<string>;
  /** Resolves when both streams have ended (after the process exits). */
  done: Promise<void>;
}

export function spawnMain(env: Record<string, string>): MainProcess {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  let resolveListening: (url: string) => void = () => {};
  const listening = new Promise<string>((resolve) => (resolveListening = resolve));
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    let rest = "";
    const decoder = new TextDecoder();
    for await (const bytes of stream) {
      const parts = (rest + decoder.decode(bytes, { stream: true })).split("\n");
      rest = parts.pop() ?? "";
      for (const line of parts) {
        lines.push(line);
        if (line.includes('"msg":"listening"')) resolveListening(JSON.parse(line).url);
      }
    }
    if (rest) lines.push(rest);
  };
  const done = Promise.all([pump(child.stdout), pump(child.stderr)]).then(() => {});
  return { child, lines, listening, done };
}

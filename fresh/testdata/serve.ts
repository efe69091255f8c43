/** Test helper: the fixture app in `testdata/app`, served over real HTTP on a free port. */
import { fileURLToPath } from "node:url";
import { createApp } from "@/fresh/mod.ts";
import type { TestState } from "@/fresh/testdata/app/state.ts";
import { log } from "@/core/log.ts";
import { createErrorHandler, httpError } from "@/web/errors.ts";

/** Absolute path of a folder of the fixture app. */
export function fixtureDir(name: "routes" | "islands" | "static"): string {
  return fileURLToPath(new URL(`./app/${name}`, import.meta.url));
}

/** A running fixture server. */
export interface FixtureServer {
  base: string;
  buildDir: string;
  close(): Promise<void>;
}

/**
 * Starts the fixture app. Its client build goes to `buildDir` (built there when missing, so tests of one
 * file can share it), or else to a fresh temporary folder that is removed on close.
 */
export async function serveFixture(shared?: string): Promise<FixtureServer> {
  const buildDir = shared ?? await Deno.makeTempDir({ prefix: "fresh-build-" });
  const { fetch } = await createApp<TestState>({
    routesDir: fixtureDir("routes"),
    islandsDir: fixtureDir("islands"),
    staticDir: fixtureDir("static"),
    buildDir,
    initState: () => ({ trail: [] }),
    // the app's own error mapping (web/errors.ts): the fixture's error answers are RoleFerry's
    onError: createErrorHandler(log),
    httpError,
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, fetch);
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    buildDir,
    async close() {
      await server.shutdown();
      if (!shared) await Deno.remove(buildDir, { recursive: true });
    },
  };
}

/**
 * Returns a `withServer(fn)` for one test file: each call runs `fn` against a fresh fixture server, and all
 * of them share one client build (made by the first), removed when the test process ends.
 */
export function fixtureRunner(): (fn: (base: string) => Promise<void>) => Promise<void> {
  const buildDir = Deno.makeTempDirSync({ prefix: "fresh-test-build-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(buildDir, { recursive: true }));
  return async (fn) => {
    const server = await serveFixture(buildDir);
    try {
      await fn(server.base);
    } finally {
      await server.close();
    }
  };
}

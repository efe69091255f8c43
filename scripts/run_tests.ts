/**
 * `deno task test [--serial] [deno test args]`: the whole suite against a real PostgreSQL, files in
 * parallel (`--serial`: one after another).
 *
 * Without `TEST_DATABASE_URL` it starts a throwaway embedded PostgreSQL. Either
 * way it migrates a template database once; each test file then clones it
 * (`createTestDatabase()` in tests/helpers/db.ts), which takes ~100 ms and keeps
 * files independent. On a fresh machine it installs the system tools the
 * browser, pooling and backup tests need (Debian's chromium, pgbouncer and
 * postgresql-client) when it runs as root with apt; elsewhere those tests skip
 * and say so.
 */
import postgres from "postgres";
import { createPool } from "@/db/client.ts";
import { startEmbedded } from "@/db/embedded.ts";
import { migrate } from "@/db/migrate.ts";
import { ensureSystemTools } from "./system_tools.ts";
import { prepareClientBuild } from "@/fresh/assets.ts";

const TEMPLATE = "roleferry_test_template";

await ensureSystemTools();

let serverUrl = Deno.env.get("TEST_DATABASE_URL");
let stop = async () => {};
if (!serverUrl) {
  const dir = await Deno.makeTempDir({ prefix: "roleferry-test-" });
  const db = await startEmbedded({ dir, throwaway: true, database: "postgres" });
  serverUrl = db.url;
  stop = db.stop;
}
const admin = new URL(serverUrl);

const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
await sql.unsafe(`drop database if exists ${TEMPLATE} with (force)`);
await sql.unsafe(`create database ${TEMPLATE}`);
await sql.end();

const templateUrl = new URL(admin);
templateUrl.pathname = `/${TEMPLATE}`;
const pool = createPool(templateUrl.toString(), { max: 1 });
const { total } = await migrate(pool);
await pool.end();
console.log(`test database: template ${TEMPLATE} at ${admin.host}, ${total} migrations`);

// The island bundles, once, before any test file starts an app: otherwise several files (with --parallel,
// or their app processes) find the build stale at once and write static/build/ over each other.
const root = (path: string) => new URL(`../${path}`, import.meta.url).pathname;
await prepareClientBuild({ islandsDir: root("islands"), buildDir: root("static/build"), mode: "ifMissing" });

// Test files run in parallel (one isolate each, as many at once as there are cores): every file has its own
// database, pool and app context, so they share nothing. `--serial` runs them one after another.
const serial = Deno.args.includes("--serial");
const given = Deno.args.filter((a) => a !== "--serial");
const args = given.length ? given : ["."];
const parallel = serial || given.includes("--parallel") ? [] : ["--parallel"];
const child = new Deno.Command(Deno.execPath(), {
  args: ["test", "-A", "--no-prompt", ...parallel, ...args],
  env: { TEST_DATABASE_URL: admin.toString(), TEST_TEMPLATE_DB: TEMPLATE, ROLEFERRY_ENV: "test" },
  stdin: "null",
}).spawn();
const stopChild = () => child.kill("SIGTERM");
Deno.addSignalListener("SIGINT", stopChild);
const { code } = await child.status;
Deno.removeSignalListener("SIGINT", stopChild);
await stop();
Deno.exit(code);

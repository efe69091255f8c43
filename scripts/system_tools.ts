/**
 * The system tools some tests need beyond Deno and the npm packages: Debian's
 * chromium (browser tests), pgbouncer (pooling test), postgresql-client
 * (pg_dump/pg_restore for backups), postgresql-15 (the backup, replica, failover and PITR drills) and haproxy
 * (the rolling-restart drill). On a fresh Debian machine where we are root
 * they are installed once with apt-get; `ROLEFERRY_NO_APT=1` turns that off.
 * Tests that need a missing tool skip with a message (see `hasTool`).
 */

const PACKAGES: Record<string, string> = {
  "/usr/bin/chromium": "chromium",
  "/usr/sbin/pgbouncer": "pgbouncer",
  "/usr/bin/pg_dump": "postgresql-client",
  // the backup/restore drill runs on a PostgreSQL 15 server whose pg_dump matches it (tests/backup_test.ts)
  "/usr/lib/postgresql/15/bin/initdb": "postgresql-15",
  // the rolling-restart drill puts three app processes behind it (tests/rolling_restart_drill_test.ts)
  "/usr/sbin/haproxy": "haproxy",
};

export async function ensureSystemTools(): Promise<void> {
  const missing = Object.entries(PACKAGES).filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg);
  if (
    !missing.length || Deno.env.get("ROLEFERRY_NO_APT") || Deno.uid() !== 0 || !existsSync("/usr/bin/apt-get")
  ) {
    if (missing.length) {
      console.warn(`missing system packages (their tests will skip): ${missing.join(", ")}`);
    }
    return;
  }
  console.log(`installing system packages for the tests: ${missing.join(", ")}`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const update = await new Deno.Command("apt-get", { args: ["update", "-qq"], env, stdout: "null" }).output();
  const install = update.success
    ? await new Deno.Command("apt-get", {
      args: ["install", "-y", "-qq", "--no-install-recommends", ...missing],
      env,
      stdout: "null",
    }).output()
    : update;
  if (!install.success) {
    console.warn(`apt-get could not install ${missing.join(", ")}; their tests will skip`);
    console.warn(new TextDecoder().decode(install.stderr).slice(-800));
  }
}

/** Whether a system tool is present; tests pass the result to `ignore`. */
export function hasTool(path: string): boolean {
  const present = existsSync(path);
  if (!present) console.warn(`${path} is missing: skipping the tests that need it`);
  return present;
}

function existsSync(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The load tools the search benchmark drives: `wrk` (HTTP) and `pgbench`
 * (PostgreSQL), both Debian packages. Installed with apt-get when missing and we
 * are root on Debian (as the test task does for its tools); otherwise the
 * search section reports that it was skipped instead of breaking the run.
 */

const TOOLS: Record<string, { path: string[]; pkg: string }> = {
  wrk: { path: ["/usr/bin/wrk"], pkg: "wrk" },
  pgbench: { path: ["/usr/bin/pgbench", "/usr/lib/postgresql/15/bin/pgbench"], pkg: "postgresql-contrib" },
};

/** The path of each tool that is (or could be made) available. */
export async function ensureLoadTools(
  log: (line: string) => void,
): Promise<Record<string, string | undefined>> {
  const find = () =>
    Object.fromEntries(Object.entries(TOOLS).map(([name, t]) => [name, t.path.find(exists)]));
  let found = find();
  const missing = Object.entries(found).filter(([, path]) => !path).map(([name]) => TOOLS[name].pkg);
  if (missing.length && Deno.uid() === 0 && exists("/usr/bin/apt-get") && !Deno.env.get("ROLEFERRY_NO_APT")) {
    log(`installing ${missing.join(", ")} for the search benchmark`);
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    await new Deno.Command("apt-get", { args: ["update", "-qq"], env, stdout: "null", stderr: "null" })
      .output();
    await new Deno.Command("apt-get", {
      args: ["install", "-y", "-qq", "--no-install-recommends", ...missing],
      env,
      stdout: "null",
      stderr: "null",
    }).output();
    found = find();
  }
  return found;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

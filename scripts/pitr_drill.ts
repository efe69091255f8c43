/**
 * `deno task pitr-drill [--scale 0.001]`: point-in-time recovery, drilled end to end on Debian PostgreSQL 15
 * (docs/operations.md, "Drills"). On a throwaway primary with WAL archiving into a folder:
 *   1. the schema and the bench's data at `--scale` (bench/generate.ts), then a base backup;
 *   2. a stream of writes (applications created and updated, one transaction each), row checksums, and the
 *      recorded target time;
 *   3. the mistake: a `DELETE` of one user's applications (their outreach goes with them), and more writes;
 *   4. a restore of the base backup into a new data directory with `recovery_target_time` just before the
 *      mistake, replaying the archived WAL, promoted;
 *   5. the restored checksums equal those at the target: the mistake is absent, every write before it is there.
 * Prints one JSON line: the timings (copy of the base backup, WAL replay) and sizes, from which the
 * full-scale recovery time is worked out (docs/operations.md).
 */
import postgres from "postgres";
import { generate } from "@/bench/generate.ts";
import {
  asPostgres,
  baseBackup,
  type Cluster,
  drillDir,
  PG15,
  startPrimaryWithSchema,
  startRecovered,
} from "./pg_cluster.ts";

export interface PitrResult {
  scale: number;
  victim_applications: number;
  stream_writes: number;
  base_backup_bytes: number;
  wal_replayed_bytes: number;
  base_backup_ms: number;
  restore_copy_ms: number;
  replay_ms: number;
  recovery_ms: number;
  /** Checksums at the target time, after the mistake, and on the restored copy. */
  at_target: Record<string, string>;
  after_mistake: Record<string, string>;
  restored: Record<string, string>;
}

/** Row count and md5 of every row, in id order, for the tables the mistake touches and the stream writes. */
async function checksums(sql: postgres.Sql, victim: number): Promise<Record<string, string>> {
  const [row] = await sql`
    select (select count(*) || ':' || md5(coalesce(string_agg(a::text, E'\n' order by a.id), '')) from applications a)
             as applications,
           (select count(*) || ':' || md5(coalesce(string_agg(o.id::text || o.status, ',' order by o.id), ''))
              from outreach o) as outreach,
           (select count(*)::text from applications where user_id = ${victim}::int) as victim_applications`;
  return row as Record<string, string>;
}

/** One transaction per write: a new application (a user and a job they have none for), or a status change. */
async function writeStream(sql: postgres.Sql, users: number[], writes: number): Promise<void> {
  for (let i = 0; i < writes; i++) {
    const user = users[i % users.length];
    if (i % 3 === 2) {
      await sql`
        update applications set status = 'interviewing', notes = ${`pitr stream ${i}`}
        where id = (select id from applications where user_id = ${user}::int order by id desc limit 1)`;
    } else {
      await sql`
        insert into applications (user_id, job_id, status, notes)
        select ${user}::int, j.id, 'saved', ${`pitr stream ${i}`} from jobs j
        where not exists (select 1 from applications a where a.user_id = ${user}::int and a.job_id = j.id)
        order by j.id limit 1`;
    }
  }
}

async function bytesIn(path: string): Promise<number> {
  let total = 0;
  for await (const entry of Deno.readDir(path)) {
    const full = `${path}/${entry.name}`;
    if (entry.isDirectory) total += await bytesIn(full);
    else if (entry.isFile) total += (await Deno.stat(full)).size;
  }
  return total;
}

export async function runPitrDrill(
  options: { scale?: number; writes?: number; log?: (line: string) => void } = {},
): Promise<PitrResult> {
  const scale = options.scale ?? 0.001;
  const writes = options.writes ?? 150;
  const log = options.log ?? (() => {});
  const dir = await drillDir("roleferry-pitr-");
  const archive = `${dir}/archive`;
  await Deno.mkdir(archive, { mode: 0o777 });
  await Deno.chmod(archive, 0o777);
  const clusters: Cluster[] = [];
  try {
    const { primary, owner: sql } = await startPrimaryWithSchema(dir, { settings: { archive_mode: "on" } });
    clusters.push(primary);
    try {
      // reloadable: set before the base backup, so every segment from its start on is archived
      await sql.unsafe(`alter system set archive_command = 'test ! -f ${archive}/%f && cp %p ${archive}/%f'`);
      await sql`select pg_reload_conf()`;
      log(`generating the bench data at scale ${scale}`);
      await generate(primary.url("roleferry"), { scale });

      const base = `${dir}/base`;
      let started = performance.now();
      await baseBackup(primary, base);
      const baseBackupMs = performance.now() - started;
      const backupStart =
        /START WAL LOCATION: (\S+)/.exec(await Deno.readTextFile(`${base}/backup_label`))![1];
      log(`base backup in ${baseBackupMs.toFixed(0)} ms`);

      const [victimRow] = await sql<{ user_id: number; n: number }[]>`
        select user_id, count(*)::int as n from applications group by user_id order by count(*) desc, user_id limit 1`;
      const victim = victimRow.user_id;
      const others = await sql<
        { id: number }[]
      >`select id from users where id <> ${victim}::int order by id limit 4`;
      await writeStream(sql, [victim, ...others.map((u) => u.id)], writes);

      const atTarget = await checksums(sql, victim);
      const [{ target, targetLsn }] = await sql<{ target: string; targetLsn: string }[]>`
        select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' as target,
               pg_current_wal_lsn()::text as "targetLsn"`;
      await new Promise((r) => setTimeout(r, 200)); // the mistake commits clearly after the target
      const deleted = await sql`delete from applications where user_id = ${victim}::int returning id`;
      log(`the mistake: deleted ${deleted.length} applications of user ${victim} after ${target}`);
      await writeStream(sql, others.map((u) => u.id), 20);
      const afterMistake = await checksums(sql, victim);

      // archive the segment holding the mistake and what followed, and wait for it
      const [{ segment }] = await sql`select pg_walfile_name(pg_switch_wal()) as segment`;
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const [a] = await sql`select coalesce(last_archived_wal, '') as last from pg_stat_archiver`;
        if (a.last >= segment) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const [{ walBytes }] = await sql`
        select pg_wal_lsn_diff(${targetLsn}::pg_lsn, ${backupStart}::pg_lsn)::float8 as "walBytes"`;

      // restore: a new data directory from the base backup, replayed to the target, promoted
      const restoredData = `${dir}/restored`;
      started = performance.now();
      await asPostgres("/bin/cp", ["-a", base, restoredData]);
      const copyMs = performance.now() - started;
      const baseBytes = await bytesIn(base);
      const replayStarted = performance.now();
      const restored = await startRecovered(dir, restoredData, {
        restore_command: `'cp ${archive}/%f %p'`,
        recovery_target_time: `'${target}'`,
        recovery_target_action: "promote",
      });
      clusters.push(restored);
      const copy = postgres(restored.url("roleferry"), { max: 1, onnotice: () => {} });
      try {
        const until = Date.now() + 120_000;
        while (Date.now() < until) {
          const [r] = await copy`select pg_is_in_recovery() as recovering`.catch(
            () => [{ recovering: true }],
          );
          if (!r.recovering) break;
          await new Promise((res) => setTimeout(res, 20));
        }
        const replayMs = performance.now() - replayStarted;
        const restoredSums = await checksums(copy, victim);
        return {
          scale,
          victim_applications: victimRow.n,
          stream_writes: writes,
          base_backup_bytes: baseBytes,
          wal_replayed_bytes: walBytes,
          base_backup_ms: Math.round(baseBackupMs),
          restore_copy_ms: Math.round(copyMs),
          replay_ms: Math.round(replayMs),
          recovery_ms: Math.round(copyMs + replayMs),
          at_target: atTarget,
          after_mistake: afterMistake,
          restored: restoredSums,
        };
      } finally {
        await copy.end();
      }
    } finally {
      await sql.end();
    }
  } finally {
    for (const c of clusters) await c.remove();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--scale");
  const scale = at >= 0 ? Number(Deno.args[at + 1]) : 0.001;
  if (!(scale > 0 && scale <= 1)) {
    console.error("--scale must be a number in (0, 1]");
    Deno.exit(2);
  }
  try {
    await Deno.stat(`${PG15}/pg_basebackup`);
  } catch {
    console.error(`${PG15}/pg_basebackup is missing: install Debian's postgresql-15 to run the drill`);
    Deno.exit(1);
  }
  const result = await runPitrDrill({ scale, log: (line) => console.error(line) });
  const same = JSON.stringify(result.restored) === JSON.stringify(result.at_target);
  console.log(JSON.stringify({ ...result, restored_matches_target: same }));
  if (!same) Deno.exit(1);
}

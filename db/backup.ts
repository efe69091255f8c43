/**
 * RoleFerry's own logical backup format, for when no pg_dump as new as the server
 * is installed (Debian 12 has pg_dump 15; the embedded server is PostgreSQL 18,
 * and pg_dump refuses newer servers). It needs nothing but the database
 * connection, so `deno task backup` works on any server version.
 *
 * The schema is not dumped: it is the migrations. A backup records which
 * migrations (with checksums) the database had, and every table's rows as
 * PostgreSQL COPY text, all read in one REPEATABLE READ snapshot. A restore
 * migrates the empty target to exactly those migrations, loads the rows in
 * foreign-key order with user triggers off (so nothing is rewritten on the way),
 * puts the sequences back, re-homes outreach rows into their monthly partitions,
 * refreshes the match-score cache, and then applies any newer migrations, all in
 * one transaction.
 *
 * File: gzip of `ROLEFERRY-BACKUP 1\n`, a JSON header line, then per table a JSON
 * line `{"table", "columns"}`, its COPY text rows, and the line `\.` (COPY text
 * escapes every backslash, so no row can be that line).
 */
import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import type { Sql } from "./client.ts";
import { migrate, type Migration, readMigrations } from "./migrate.ts";

export const MAGIC = "ROLEFERRY-BACKUP 1";

export interface BackupHeader {
  format: "roleferry-backup";
  version: 1;
  created_at: string;
  server_version: string;
  migrations: { version: number; name: string; checksum: string; applied_at: string }[];
  tables: { table: string; rows: number }[];
  sequences: { name: string; last_value: string; is_called: boolean }[];
}

/** Tables to copy (public, not partitions, not schema_migrations), parents before children. */
async function tablesInLoadOrder(sql: Sql): Promise<string[]> {
  const tables = (await sql<{ name: string }[]>`
    select c.relname::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
      and c.relname <> 'schema_migrations'
      and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e')
    order by 1`).map((r) => r.name);
  const edges = await sql<{ child: string; parent: string }[]>`
    select distinct c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
    from pg_constraint c
    where c.contype = 'f' and c.conrelid <> c.confrelid and c.conparentid = 0`;
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visit = (table: string, path: Set<string>) => {
    if (placed.has(table) || path.has(table)) return;
    path.add(table);
    for (const edge of edges) {
      if (edge.child === table && tables.includes(edge.parent)) visit(edge.parent, path);
    }
    placed.add(table);
    ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}

async function copyColumns(sql: Sql, table: string): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    select attname::text as name from pg_attribute
    where attrelid = ${table}::regclass and attnum > 0 and not attisdropped and attgenerated = ''
    order by attnum`;
  return rows.map((r) => r.name);
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function write(stream: Writable, data: string | Uint8Array): Promise<void> {
  if (!stream.write(data)) await once(stream, "drain");
}

/**
 * Writes a backup of the connected database to `file`; returns its header.
 *
 * @example
 * const header = await writeBackup(sql, "/backups/roleferry.rfb");
 */
export async function writeBackup(sql: Sql, file: string): Promise<BackupHeader> {
  const gzip = createGzip({ level: 6 });
  const done = pipeline(gzip, createWriteStream(file));
  try {
    const header = await sql.begin("isolation level repeatable read read only", async (tx) => {
      const tables = await tablesInLoadOrder(tx as unknown as Sql);
      const [{ server_version }] = await tx<{ server_version: string }[]>`select version() as server_version`;
      const migrations = await tx<BackupHeader["migrations"]>`
        select version::int as version, name::text as name, checksum::text as checksum,
               to_char(applied_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as applied_at
        from schema_migrations order by version`;
      const counts: BackupHeader["tables"] = [];
      for (const table of tables) {
        const [{ rows }] = await tx.unsafe(`select count(*)::int as rows from ${ident(table)}`);
        counts.push({ table, rows });
      }
      const sequences: BackupHeader["sequences"] = [];
      const seqNames = await tx<{ name: string }[]>`
        select c.relname::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'S' order by 1`;
      for (const { name } of seqNames) {
        const [seq] = await tx.unsafe(`select last_value::text as last_value, is_called from ${ident(name)}`);
        sequences.push({ name, last_value: seq.last_value, is_called: seq.is_called });
      }
      const head: BackupHeader = {
        format: "roleferry-backup",
        version: 1,
        created_at: new Date().toISOString(),
        server_version,
        migrations: migrations.map((m) => ({ ...m })),
        tables: counts,
        sequences,
      };
      await write(gzip, `${MAGIC}\n${JSON.stringify(head)}\n`);
      for (const table of tables) {
        const columns = await copyColumns(tx as unknown as Sql, table);
        await write(gzip, JSON.stringify({ table, columns }) + "\n");
        const list = columns.map(ident).join(", ");
        const stream = await tx.unsafe(`copy (select ${list} from ${ident(table)}) to stdout`).readable();
        // Flowing mode, no await while the COPY streams: postgres.js pauses the socket when its stream is not
        // read at once, and under Deno a paused COPY inside a transaction never resumed (a 100k-row table hung).
        // Rows (one chunk each) go to zlib in 1 MiB blocks; zlib's backlog is drained between tables.
        await new Promise<void>((resolve, reject) => {
          let pending: Uint8Array[] = [];
          let size = 0;
          stream.on("data", (chunk: Uint8Array) => {
            pending.push(chunk);
            size += chunk.length;
            if (size >= 1 << 20) {
              gzip.write(concat(pending, size));
              pending = [];
              size = 0;
            }
          });
          stream.on("end", () => {
            if (size) gzip.write(concat(pending, size));
            resolve();
          });
          stream.on("error", reject);
        });
        if (gzip.writableNeedDrain) await once(gzip, "drain");
        await write(gzip, "\\.\n");
      }
      return head;
    });
    gzip.end();
    await done;
    return header;
  } catch (error) {
    gzip.destroy();
    await done.catch(() => {});
    throw error;
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Whether `file` is in this format (gzip) rather than pg_dump's custom format ("PGDMP"). */
export async function isBuiltinBackup(file: string): Promise<boolean> {
  const handle = await Deno.open(file);
  try {
    const head = new Uint8Array(2);
    await handle.read(head);
    return head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    handle.close();
  }
}

/** Lines of a gunzipped file, as they come (bytes kept as text: COPY text is UTF-8 with the server's encoding). */
async function* lines(file: string): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of createReadStream(file).pipe(createGunzip())) {
    const parts = (rest + decoder.decode(chunk as Uint8Array, { stream: true })).split("\n");
    rest = parts.pop() ?? "";
    yield* parts;
  }
  rest += decoder.decode();
  if (rest) yield rest;
}

export interface RestoreResult {
  tables: number;
  rows: number;
  migrations_restored: number;
  migrations_applied_after: string[];
}

/**
 * Restores a backup written by {@link writeBackup} into the connected database,
 * which must be empty (checked by the caller). Refuses a backup whose migrations
 * differ from this checkout's.
 */
export async function restoreBackup(sql: Sql, file: string, available?: Migration[]): Promise<RestoreResult> {
  const input = lines(file)[Symbol.asyncIterator]();
  const next = async (what: string) => {
    const { value, done } = await input.next();
    if (done) throw new Error(`backup ends early: expected ${what}`);
    return value;
  };
  if (await next("the format line") !== MAGIC) throw new Error(`not a RoleFerry backup (no "${MAGIC}" line)`);
  const header = JSON.parse(await next("the header")) as BackupHeader;

  const migrations = available ?? await readMigrations();
  const byVersion = new Map(migrations.map((m) => [m.version, m]));
  for (const m of header.migrations) {
    const mine = byVersion.get(m.version);
    if (!mine || mine.checksum !== m.checksum) {
      throw new Error(
        `the backup was taken with migration ${m.name} ${
          mine ? "of different content" : "that this checkout lacks"
        }; ` +
          `restore it with the version of RoleFerry that wrote it`,
      );
    }
  }
  const target = header.migrations.at(-1)?.version ?? 0;
  const known = new Set(header.migrations.map((m) => m.version));
  const skipped = migrations.filter((m) => m.version <= target && !known.has(m.version));
  if (skipped.length) {
    throw new Error(`the backup's database never applied ${skipped.map((m) => m.name).join(", ")}`);
  }
  await migrate(sql, { target, migrations });

  let rows = 0;
  await sql.begin(async (tx) => {
    const tables = header.tables.map((t) => t.table);
    const all = await tx<{ name: string }[]>`
      select c.oid::regclass::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')`;
    // Rows the migrations seeded (platform templates, ...) are replaced by the backup's.
    if (tables.length) await tx.unsafe(`truncate ${tables.map(ident).join(", ")}`);
    for (const { name } of all) await tx.unsafe(`alter table ${name} disable trigger user`);
    for (let i = 0; i < tables.length; i++) {
      const meta = JSON.parse(await next(`table ${tables[i]}`)) as { table: string; columns: string[] };
      if (meta.table !== tables[i]) {
        throw new Error(`backup out of order: ${meta.table} where ${tables[i]} was due`);
      }
      const copy = await tx.unsafe(
        `copy ${ident(meta.table)} (${meta.columns.map(ident).join(", ")}) from stdin`,
      ).writable();
      let batch = "";
      for (
        let line = await next(`rows of ${meta.table}`);
        line !== "\\.";
        line = await next(`rows of ${meta.table}`)
      ) {
        batch += line + "\n";
        if (batch.length > 1 << 20) {
          await write(copy, batch);
          batch = "";
        }
      }
      if (batch) await write(copy, batch);
      copy.end();
      await once(copy, "finish");
      const [{ count }] = await tx.unsafe(`select count(*)::int as count from ${ident(meta.table)}`);
      const expected = header.tables[i].rows;
      if (count !== expected) {
        throw new Error(`${meta.table}: restored ${count} rows, the backup has ${expected}`);
      }
      rows += count;
    }
    for (const { name } of all) await tx.unsafe(`alter table ${name} enable trigger user`);
    for (const seq of header.sequences) {
      await tx`select setval(${ident(seq.name)}::regclass, ${seq.last_value}::bigint, ${seq.is_called})`;
    }
    const [fns] = await tx`
      select to_regprocedure('maintain_outreach_partitions(integer)') is not null as partitions,
             to_regclass('match_scores') is not null as cache`;
    // rows of months the new database has no partition for went to the default partition: give them theirs
    if (fns.partitions) await tx`select * from maintain_outreach_partitions(3)`;
    if (fns.cache) await tx`refresh materialized view match_scores`;
    for (const m of header.migrations) {
      await tx`update schema_migrations set applied_at = ${m.applied_at}::text::timestamptz where version = ${m.version}::int`;
    }
  });
  const after = await migrate(sql, { migrations });
  return {
    tables: header.tables.length,
    rows,
    migrations_restored: header.migrations.length,
    migrations_applied_after: after.applied,
  };
}
